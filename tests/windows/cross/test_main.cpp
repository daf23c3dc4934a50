#include <gtest/gtest.h>

// Run by tests/windows/run-under-wine.sh, with a WINEPREFIX of its own, so that adding to the
// CurrentUser ROOT and LocalMachine TrustedPeople stores here touches no one else's wine.
int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
