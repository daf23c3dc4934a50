#include "net/tls_library.hpp"

namespace epos::net {

void init_tls_library() {}

}  // namespace epos::net
