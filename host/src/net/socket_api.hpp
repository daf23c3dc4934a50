#pragma once

// The system's socket declarations, the one place that knows where they live: BSD sockets on
// POSIX, Winsock 2 on Windows (sockaddr, in_addr, inet_pton, getaddrinfo have the same names in
// both). Portable code includes this, never the system headers themselves; what differs in
// behaviour (start-up, close, poll, error codes) is behind net/socket.hpp.
#ifdef _WIN32
#include <winsock2.h>
// winsock2.h first: ws2tcpip.h needs its declarations.
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#endif
