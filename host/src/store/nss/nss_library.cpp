#include "store/nss/nss_library.hpp"

#include <mutex>

#include <nss.h>
#include <prerror.h>

#include "util/failure.hpp"

namespace epos::store::nss {
namespace {

std::mutex library_mutex;
std::weak_ptr<NssLibrary> current_library;

}  // namespace

std::shared_ptr<NssLibrary> NssLibrary::acquire() {
    std::lock_guard<std::mutex> lock(library_mutex);
    if (auto library = current_library.lock()) {
        return library;
    }
    // NOROOTINIT: the built-in root CAs (libnssckbi) are of no use for writing a browser's
    // database, and loading them costs milliseconds of every trust.
    NSSInitContext* context =
        NSS_InitContext("", "", "", "", nullptr,
                        NSS_INIT_NOCERTDB | NSS_INIT_NOMODDB | NSS_INIT_FORCEOPEN |
                            NSS_INIT_NOROOTINIT | NSS_INIT_OPTIMIZESPACE | NSS_INIT_PK11THREADSAFE);
    if (context == nullptr) {
        const char* name = PR_ErrorToName(PR_GetError());
        throw Failure("store_failed", std::string("NSS could not start (") +
                                          (name != nullptr ? name : "unknown error") + ")");
    }
    std::shared_ptr<NssLibrary> library(new NssLibrary(context));
    current_library = library;
    return library;
}

NssLibrary::~NssLibrary() {
    std::lock_guard<std::mutex> lock(library_mutex);
    NSS_ShutdownContext(static_cast<NSSInitContext*>(context_));
}

}  // namespace epos::store::nss
