#pragma once

#include <cstdio>
#include <cstdlib>

// A broken invariant in a fuzz target must be a crash that libFuzzer records with its input,
// exactly like a sanitizer report; an exception or a silent return would hide it.
#define EPOS_FUZZ_CHECK(condition)                                                                 \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #condition); \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)
