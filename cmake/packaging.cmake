# Linux packages: `cpack -G DEB` / `cpack -G RPM` in the build folder.
#   /usr/libexec/epos-trust/epos-trust          the host (GNUInstallDirs, host/CMakeLists.txt)
#   /usr/bin/epos-trust                         symlink to it, for people and scripts
#   /usr/libexec/epos-trust/libepos_trust_flush.so  Firefox's trust-cache flush module (docs/browser-behaviour.md §6)
#   /usr/share/epos-trust/native-messaging-hosts/{chrome,firefox}/  the manifests, absolute paths
#   /etc/opt/chrome, /etc/chromium, /etc/opt/edge /native-messaging-hosts/com.epos_trust.host.json
#       symlinks to the Chrome-family manifest: not conffiles, so `dpkg -r` removes them (a conffile
#       would outlive the package until purge, and these are ours, not the admin's)
#   /usr/lib/mozilla/native-messaging-hosts, /usr/lib/mozilla/pkcs11-modules  Firefox's manifests
#   /usr/share/epos-trust/extension/{chrome,firefox}/ and the .zip/.xpi: the built extension
#   /usr/share/doc/epos-trust/examples/policy/  the policy templates of installers/policy
#   /usr/libexec/epos-trust/epos-trust-flush, /usr/lib/systemd/system/epos-trust-flush{.socket,@.service}
#       Chromium's certificate-cache flush helper (root, socket-activated)
if(NOT UNIX OR APPLE)
    return()
endif()

set(EPOS_PACKAGE_PREFIX /usr)
set(epos_host_path ${EPOS_PACKAGE_PREFIX}/${CMAKE_INSTALL_LIBEXECDIR}/epos-trust/epos-trust)
set(epos_flush_path ${EPOS_PACKAGE_PREFIX}/${CMAKE_INSTALL_LIBEXECDIR}/epos-trust/libepos_trust_flush.so)
set(epos_manifest_share ${CMAKE_INSTALL_DATADIR}/epos-trust/native-messaging-hosts)
set(epos_stage ${CMAKE_BINARY_DIR}/packaging)

# The manifests the package ships, from the same templates as `epos-trust register`.
set(EPOS_HOST_PATH ${epos_host_path})
set(EPOS_FLUSH_MODULE_PATH ${epos_flush_path})
configure_file(${PROJECT_SOURCE_DIR}/manifests/com.epos_trust.host.chrome.json.in
               ${epos_stage}/chrome/com.epos_trust.host.json @ONLY)
configure_file(${PROJECT_SOURCE_DIR}/manifests/com.epos_trust.host.firefox.json.in
               ${epos_stage}/firefox/com.epos_trust.host.json @ONLY)
configure_file(${PROJECT_SOURCE_DIR}/manifests/epos_trust_flush.pkcs11.json.in
               ${epos_stage}/firefox/epos_trust_flush.json @ONLY)
install(FILES ${epos_stage}/chrome/com.epos_trust.host.json DESTINATION ${epos_manifest_share}/chrome)
install(FILES ${epos_stage}/firefox/com.epos_trust.host.json
        DESTINATION /usr/lib/mozilla/native-messaging-hosts)
install(FILES ${epos_stage}/firefox/epos_trust_flush.json
        DESTINATION /usr/lib/mozilla/pkcs11-modules)

# Symlinks made at install time (install(FILES) would copy their target instead).
set(epos_chrome_manifest ${EPOS_PACKAGE_PREFIX}/${epos_manifest_share}/chrome/com.epos_trust.host.json)
foreach(dir /etc/opt/chrome/native-messaging-hosts /etc/chromium/native-messaging-hosts
            /etc/opt/edge/native-messaging-hosts)
    install(CODE "
        file(MAKE_DIRECTORY \"\$ENV{DESTDIR}${dir}\")
        file(CREATE_LINK ${epos_chrome_manifest} \"\$ENV{DESTDIR}${dir}/com.epos_trust.host.json\" SYMBOLIC)")
endforeach()
install(CODE "
    file(MAKE_DIRECTORY \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/bin\")
    file(CREATE_LINK ../${CMAKE_INSTALL_LIBEXECDIR}/epos-trust/epos-trust
         \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/bin/epos-trust\" SYMBOLIC)")

if(DEFINED EPOS_EXTENSION_DIST)
    install(DIRECTORY ${EPOS_EXTENSION_DIST}/chrome ${EPOS_EXTENSION_DIST}/firefox
            DESTINATION ${CMAKE_INSTALL_DATADIR}/epos-trust/extension)
endif()
# Chromium's certificate cache flush (docs/browser-behaviour.md §6): a root helper started per
# connection to /run/epos-trust/flush.sock by systemd; the host's `flush-chromium` connects.
install(PROGRAMS ${PROJECT_SOURCE_DIR}/installers/linux/epos-trust-flush
        DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/epos-trust)
install(FILES ${PROJECT_SOURCE_DIR}/installers/linux/epos-trust-flush.socket
              ${PROJECT_SOURCE_DIR}/installers/linux/epos-trust-flush@.service
        DESTINATION lib/systemd/system)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/installers/policy/
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples/policy)
install(FILES ${PROJECT_SOURCE_DIR}/docs/admin.md DESTINATION ${CMAKE_INSTALL_DOCDIR} OPTIONAL)

# Debian wants a copyright file and a compressed changelog in the doc folder (lintian).
file(MAKE_DIRECTORY ${epos_stage}/doc)
execute_process(COMMAND gzip -9nc ${PROJECT_SOURCE_DIR}/installers/linux/changelog
                OUTPUT_FILE ${epos_stage}/doc/changelog.gz)
execute_process(COMMAND gzip -9nc ${PROJECT_SOURCE_DIR}/installers/linux/epos-trust.1
                OUTPUT_FILE ${epos_stage}/doc/epos-trust.1.gz)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${PROJECT_SOURCE_DIR}/installers/linux/changelog
             ${PROJECT_SOURCE_DIR}/installers/linux/epos-trust.1)
install(FILES ${epos_stage}/doc/epos-trust.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/installers/linux/copyright ${epos_stage}/doc/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/installers/linux/lintian-overrides
        DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME epos-trust)

set(CPACK_PACKAGE_NAME epos-trust)
set(CPACK_PACKAGE_VENDOR "epos-trust")
set(CPACK_PACKAGE_CONTACT "epos-trust maintainers <maintainers@epos-trust.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "trust an Epson ePOS printer's certificate in the browser")
set(CPACK_PACKAGE_DESCRIPTION
    "epos-trust lets a point-of-sale page in Chrome, Chromium, Edge, Brave or\nFirefox reach an Epson ePOS receipt printer on the local network over HTTPS\nalthough the printer's certificate is self-signed. This package holds the\nnative messaging host, its browser manifests, the Firefox trust-cache flush\nmodule, the browser extension and policy examples.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${EPOS_PACKAGE_PREFIX})
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://epos-trust.org")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # libnss3, libssl3, libboost-program-options...
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "chromium | google-chrome-stable | firefox-esr | firefox")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_LICENSE "MIT")
set(CPACK_RPM_PACKAGE_GROUP "Applications/Internet")
set(CPACK_RPM_PACKAGE_URL "https://epos-trust.org")
# Folders other packages (filesystem, browsers) own: the rpm must not claim them.
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
    /etc/opt /etc/opt/chrome /etc/opt/edge /etc/chromium /usr/lib/mozilla /usr/libexec
    /usr/share/lintian /usr/share/lintian/overrides /usr/share/man /usr/share/man/man1
    /usr/lib/systemd /usr/lib/systemd/system)

include(CPack)

# CTest: build the .deb (and the .rpm where rpmbuild exists) in a scratch folder, check what is in
# them, run lintian. tests/integration/package.test.mjs installs the .deb for real in a private
# mount namespace and drives a real Chromium against it.
if(EPOS_BUILD_TESTS)
    add_test(NAME package.contents
             COMMAND ${PROJECT_SOURCE_DIR}/installers/linux/check-packages.sh ${CMAKE_BINARY_DIR})
    set_tests_properties(package.contents PROPERTIES LABELS package TIMEOUT 300)
endif()
