"""`kh75 selftest` from the source tree: every check passes on a working install, and a broken
part shows as one failed line instead of a crash."""

from kh75_desktop.selftest import CORE_CHECKS, run_selftest


def test_selftest_passes_and_seals_a_package_in_a_folder_named_like_a_usb_stick(
        tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path / "Thư mục tạm #3"))
    (tmp_path / "Thư mục tạm #3").mkdir()
    lines: list[str] = []
    assert run_selftest(emit=lines.append)
    assert [line.split(":")[0] for line in lines[:-1]] == [f"[ĐẠT]   {name}"
                                                            for name, _ in CORE_CHECKS]
    package = next(line for line in lines if "Gói có chữ ký" in line)
    assert "“Ổ đĩa USB #1”" in package and "giải mã" in package
    assert lines[-1] == "Tự kiểm tra: tất cả đạt."
    assert not any((tmp_path / "Thư mục tạm #3").iterdir())


def test_a_package_that_no_longer_opens_fails_its_line_and_the_run(monkeypatch):
    import pyrage

    def broken(*_args, **_kwargs):
        raise pyrage.DecryptError("no identity matched")

    monkeypatch.setattr(pyrage, "decrypt", broken)
    lines: list[str] = []
    assert not run_selftest(emit=lines.append)
    assert any(line.startswith("[LỖI]   Gói có chữ ký: DecryptError") for line in lines)
    assert sum(line.startswith("[ĐẠT]") for line in lines) == len(CORE_CHECKS) - 1
    assert lines[-1] == "Tự kiểm tra: CÓ LỖI."
