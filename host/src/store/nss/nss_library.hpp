#pragma once

#include <memory>

namespace epos::store::nss {

// NSS initialised for this process with no database of its own, for as long as someone holds
// the returned handle (the last holder shuts it down, so a test process can start it again).
//
// Why this shape: NSS_Initialize(dir) binds a process to ONE database, but one run of the host
// writes Chromium's database and every Firefox profile's. So NSS starts with no cert/key/module
// database (NSS_InitContext with NSS_INIT_NOCERTDB | NSS_INIT_NOMODDB, the reference-counted
// cousin of NSS_NoDB_Init that coexists with other NSS users in the process), and each browser
// database is then opened as a PKCS#11 slot of its own with SECMOD_OpenUserDB, as Chromium
// itself opens its public and system slots (net/cert/nss_cert_database.cc). Every object the
// store reads or writes is then addressed to exactly one slot, i.e. one database.
class NssLibrary {
  public:
    // Throws Failure{"store_failed"} when NSS cannot start.
    static std::shared_ptr<NssLibrary> acquire();
    ~NssLibrary();

    NssLibrary(const NssLibrary&) = delete;
    NssLibrary& operator=(const NssLibrary&) = delete;

  private:
    explicit NssLibrary(void* context) : context_(context) {}
    void* context_;  // NSSInitContext*
};

}  // namespace epos::store::nss
