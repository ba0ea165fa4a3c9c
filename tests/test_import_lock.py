"""One writer at a time in a data folder: an import holds the lock exclusively, a dry run shares it."""
import pytest

from aidgraph.errors import ImportRefused
from aidgraph.loaders.scratch import locked


def test_two_writers_never_hold_the_lock_together(data_copy):
    with locked(data_copy), pytest.raises(ImportRefused, match="another import"), locked(data_copy):
        pass  # a second import must not get here while the first writes


def test_dry_runs_share_the_lock_and_exclude_a_writer(data_copy):
    with locked(data_copy):
        pass  # an import has run: the lock file exists (a dry run never creates it)
    with locked(data_copy, shared=True):
        with locked(data_copy, shared=True):
            pass  # two dry runs read together
        with pytest.raises(ImportRefused, match="another import"), locked(data_copy):
            pass  # a writer does not start while a dry run reads
    with locked(data_copy), pytest.raises(ImportRefused, match="another import"), locked(data_copy, shared=True):
        pass
