"""The seed example of DESIGN.md, from Python: an owned Tarball, borrowed names and zero-copy data."""
import errno
import io
import pathlib
import tarfile

import pytest

import tarball


@pytest.fixture()
def archive(tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "x.tar"
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as tf:
        for name, data in [("hello.txt", b"hello\n"), ("bin/zeros", b"\0\1\0" * 100)]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return path


def test_seed_example(archive: pathlib.Path) -> None:
    with tarball.Tarball.open(str(archive)) as t:
        assert t.count() == 2
        assert t.file_name(0) == "hello.txt"
        data = t.file_data(0)
        assert isinstance(data, memoryview)
        assert bytes(data) == b"hello\n"
        with pytest.raises(BufferError):
            t.close()  # closing while a view is held is refused
        data.release()
        assert bytes(t.file_data(1) or b"") == b"\0\1\0" * 100
        assert t.find("bin/zeros") == 1
        assert t.find("missing") is None
        assert t.file_name(5) is None
        assert t.file_data(5) is None
    assert t.closed
    with pytest.raises(ValueError):
        t.count()


def test_open_missing_file_reports_errno(tmp_path: pathlib.Path) -> None:
    with pytest.raises(Exception) as info:
        tarball.Tarball.open(str(tmp_path / "nope.tar"))
    assert getattr(info.value, "errno", None) == errno.ENOENT
