"""The sections of docs/benchmarks.md that tests/bench/run.sh does not measure and must keep.

run.sh writes the whole file again from its measurements; a section measured by hand (the
Windows build: a fresh machine, an empty dependency cache, nothing else running) cannot be
measured again by it, so it is carried over from the file being replaced, as it was, before
"## Not measured here". Tested by bench_sections_test.py (ctest -R bench.sections).
"""

# Headings (a line's start) of the sections measured by hand, in the order they appear.
HAND_SECTIONS = ("## Windows build",)
BEFORE = "## Not measured here"


def find_section(text, heading):
    """The section starting with the line `heading...` up to the next "## " heading (exclusive),
    without its trailing blank lines; None when the text has no such section."""
    start = text.find("\n" + heading)
    if start < 0:
        if not text.startswith(heading):
            return None
        start = 0
    else:
        start += 1
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)].rstrip("\n")


def with_hand_sections(generated, previous):
    """`generated` (run.sh's new file) with each hand section of `previous` (the file it
    replaces) inserted before "## Not measured here", or at the end when that is missing. A
    section `generated` already has is left as generated."""
    for heading in HAND_SECTIONS:
        kept = find_section(previous or "", heading)
        if kept is None or find_section(generated, heading) is not None:
            continue
        at = generated.find("\n" + BEFORE)
        if at < 0:
            generated = generated.rstrip("\n") + "\n\n" + kept + "\n"
        else:
            generated = generated[: at + 1] + kept + "\n\n" + generated[at + 1 :]
    return generated
