"""run.sh's section keeping (bench_sections.py), on made-up files and on docs/benchmarks.md."""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench_sections  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
WINDOWS = "## Windows build: measured by hand\n\n| step | time |\n|---|---|\n| host | 2 min |"
GENERATED = "# Benchmarks\n\n## Host requests\n\nfresh figures\n\n## Not measured here\n\n- macOS\n"


class WithHandSections(unittest.TestCase):
    def test_kept_before_not_measured_here(self):
        previous = "# Benchmarks\n\n## Host requests\n\nold figures\n\n" + WINDOWS + "\n\n## Not measured here\n\n- old\n"
        out = bench_sections.with_hand_sections(GENERATED, previous)
        self.assertIn("fresh figures", out)
        self.assertNotIn("old figures", out)
        self.assertIn("\n\n" + WINDOWS + "\n\n## Not measured here\n", out)
        self.assertEqual(out.count("## Windows build"), 1)

    def test_kept_when_it_is_the_last_section(self):
        out = bench_sections.with_hand_sections(GENERATED, "# B\n\n" + WINDOWS + "\n")
        self.assertIn(WINDOWS + "\n\n## Not measured here", out)

    def test_nothing_to_keep(self):
        self.assertEqual(bench_sections.with_hand_sections(GENERATED, ""), GENERATED)
        self.assertEqual(bench_sections.with_hand_sections(GENERATED, None), GENERATED)

    def test_a_generated_section_is_not_doubled(self):
        generated = GENERATED.replace("## Not measured", "## Windows build: new\n\nnew\n\n## Not measured")
        out = bench_sections.with_hand_sections(generated, "x\n\n" + WINDOWS + "\n")
        self.assertEqual(out, generated)

    def test_no_not_measured_heading_appends(self):
        out = bench_sections.with_hand_sections("# B\n\n## Host requests\n\nx\n", WINDOWS)
        self.assertTrue(out.endswith("\n\n" + WINDOWS + "\n"))

    def test_the_real_file_keeps_its_windows_section_byte_for_byte(self):
        with open(os.path.join(ROOT, "docs", "benchmarks.md")) as f:
            real = f.read()
        section = bench_sections.find_section(real, "## Windows build")
        self.assertIsNotNone(section, "docs/benchmarks.md has a Windows build section")
        self.assertIn("6 min 56 s", section)
        # What run.sh generates has no Windows section; the real file's comes back unchanged.
        generated = real.replace(section + "\n\n", "")
        self.assertIsNone(bench_sections.find_section(generated, "## Windows build"))
        self.assertEqual(bench_sections.with_hand_sections(generated, real), real)

    def test_run_sh_writes_through_it(self):
        with open(os.path.join(HERE, "run.sh")) as f:
            script = f.read()
        self.assertIn("bench_sections.with_hand_sections(", script)


if __name__ == "__main__":
    unittest.main()
