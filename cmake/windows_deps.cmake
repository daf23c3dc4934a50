# The libraries of epos-trust.exe, from the prefix that scripts/windows-deps.sh builds from
# Debian source packages (static OpenSSL, libcurl, Boost headers and Program_options) plus
# nlohmann/json, header-only, from Debian's nlohmann-json3-dev. Included by host/CMakeLists.txt
# instead of its find_package() calls when EPOS_WINDOWS_DEPS is set (the windows-mingw preset):
# the find modules would look for import libraries and DLLs of a Windows install, and Debian's
# nlohmann config would put all of /usr/include (glibc's headers) on mingw's path.
if(NOT EXISTS ${EPOS_WINDOWS_DEPS}/.complete)
    message(FATAL_ERROR "EPOS_WINDOWS_DEPS=${EPOS_WINDOWS_DEPS} is not a finished "
                        "scripts/windows-deps.sh prefix")
endif()
set(_deps ${EPOS_WINDOWS_DEPS})

function(_epos_static_library target file)
    if(NOT EXISTS ${_deps}/lib/${file})
        message(FATAL_ERROR "${_deps}/lib/${file} missing")
    endif()
    add_library(${target} STATIC IMPORTED GLOBAL)
    set_target_properties(${target} PROPERTIES IMPORTED_LOCATION ${_deps}/lib/${file})
    target_include_directories(${target} SYSTEM INTERFACE ${_deps}/include)
endfunction()

_epos_static_library(OpenSSL::Crypto libcrypto.a)
# What static libcrypto calls in Windows (sockets for BIO, CryptoAPI for the random seed).
target_link_libraries(OpenSSL::Crypto INTERFACE ws2_32 crypt32 bcrypt advapi32 user32)
_epos_static_library(OpenSSL::SSL libssl.a)
target_link_libraries(OpenSSL::SSL INTERFACE OpenSSL::Crypto)
set(OPENSSL_FOUND TRUE)

_epos_static_library(CURL::libcurl libcurl.a)
target_compile_definitions(CURL::libcurl INTERFACE CURL_STATICLIB)
target_link_libraries(CURL::libcurl INTERFACE OpenSSL::SSL ws2_32 crypt32 bcrypt)
set(CURL_FOUND TRUE)

add_library(Boost::headers INTERFACE IMPORTED GLOBAL)
target_include_directories(Boost::headers SYSTEM INTERFACE ${_deps}/include)
# Boost.Asio (under Beast) on Windows: Winsock, and no auto-linking pragmas (MSVC only anyway).
target_compile_definitions(Boost::headers INTERFACE BOOST_ALL_NO_LIB _WIN32_WINNT=0x0A00)
target_link_libraries(Boost::headers INTERFACE ws2_32 mswsock)
_epos_static_library(Boost::program_options libboost_program_options.a)
target_link_libraries(Boost::program_options INTERFACE Boost::headers)

# nlohmann/json: only its own folder of /usr/include, through a link in the build tree.
set(EPOS_NLOHMANN_INCLUDE /usr/include CACHE PATH "Folder holding nlohmann/json.hpp")
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/third_party)
file(CREATE_LINK ${EPOS_NLOHMANN_INCLUDE}/nlohmann ${CMAKE_BINARY_DIR}/third_party/nlohmann
     SYMBOLIC)
add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED GLOBAL)
target_include_directories(nlohmann_json::nlohmann_json SYSTEM
                           INTERFACE ${CMAKE_BINARY_DIR}/third_party)
