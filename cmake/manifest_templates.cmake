# register/unregister/doctor (host/src/ops/register.cpp) write and check the manifests of
# manifests/*.json.in. The host embeds those templates at build time, so the extension's Chrome
# ID and Firefox add-on id are written once, in manifests/, for the packages, the MSI, the e2e
# sandbox and the host alike.
set(epos_template_files
    ${PROJECT_SOURCE_DIR}/manifests/com.epos_trust.host.chrome.json.in
    ${PROJECT_SOURCE_DIR}/manifests/com.epos_trust.host.firefox.json.in
    ${PROJECT_SOURCE_DIR}/manifests/epos_trust_flush.pkcs11.json.in)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${epos_template_files})
list(GET epos_template_files 0 epos_file)
file(READ ${epos_file} EPOS_TEMPLATE_CHROME)
list(GET epos_template_files 1 epos_file)
file(READ ${epos_file} EPOS_TEMPLATE_FIREFOX)
list(GET epos_template_files 2 epos_file)
file(READ ${epos_file} EPOS_TEMPLATE_PKCS11)

# Where the installed flush module sits, seen from the installed host's folder
# (host/pkcs11/CMakeLists.txt installs it beside the host).
set(EPOS_FLUSH_FROM_HOST ".")
# host/pkcs11 sets PREFIX "lib" on every OS.
set(EPOS_FLUSH_FILE_NAME "libepos_trust_flush${CMAKE_SHARED_MODULE_SUFFIX}")

configure_file(${PROJECT_SOURCE_DIR}/host/src/ops/manifest_templates.hpp.in
               ${CMAKE_CURRENT_BINARY_DIR}/generated/ops/manifest_templates.hpp @ONLY)
target_include_directories(epos_ops PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/generated)
