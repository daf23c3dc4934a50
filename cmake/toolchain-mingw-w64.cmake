# Cross-compile for 64-bit Windows with Debian's mingw-w64 (g++-mingw-w64-x86-64), posix
# threads. Used by the "windows-mingw" preset (the whole epos-trust.exe, with the static
# libraries of scripts/windows-deps.sh passed as EPOS_WINDOWS_DEPS) and by tests/windows/cross
# (the crypt32 store and registry code alone); both run under wine.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(EPOS_MINGW_TRIPLET x86_64-w64-mingw32)
# The -posix variants: GCC 12's win32 thread model has no std::thread/std::mutex.
find_program(CMAKE_C_COMPILER NAMES ${EPOS_MINGW_TRIPLET}-gcc-posix ${EPOS_MINGW_TRIPLET}-gcc REQUIRED)
find_program(CMAKE_CXX_COMPILER NAMES ${EPOS_MINGW_TRIPLET}-g++-posix ${EPOS_MINGW_TRIPLET}-g++ REQUIRED)
find_program(CMAKE_RC_COMPILER NAMES ${EPOS_MINGW_TRIPLET}-windres)

set(CMAKE_FIND_ROOT_PATH /usr/${EPOS_MINGW_TRIPLET} ${EPOS_WINDOWS_DEPS})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Static runtime (libstdc++, libgcc, winpthread) so that the .exe runs under wine, or on a
# bare Windows, with no mingw DLL beside it.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")

# Lets CTest/try_run start the cross-built programs.
find_program(EPOS_WINE NAMES wine wine64)
if(EPOS_WINE)
    set(CMAKE_CROSSCOMPILING_EMULATOR ${EPOS_WINE})
endif()
