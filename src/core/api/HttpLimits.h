#pragma once

#include <QtGlobal>

namespace gpudeck {

// The numbers that bound what one client can make the API server hold: connections, bytes and time.
// The defaults are what GPU Deck runs with; tests and benchmarks set smaller ones, in process through
// ApiServer::setLimits() or for a whole app through the environment (see fromEnvironment()).
struct HttpLimits
{
    // Open connections at once. The excess is answered 503 and closed at once. Never more than half of the
    // process's open-file limit (RLIMIT_NOFILE), so SQLite, SSH and the GUI keep their descriptors.
    int maxConnections = 512;
    // Request line plus headers (414 when the request line alone is over, 431 otherwise).
    qsizetype maxHeadBytes = 16 * 1024;
    // A request body, when the route has no limit of its own (Router::setBodyLimit). 413 above it.
    qsizetype maxBodyBytes = 1024 * 1024;
    // A body streamed to its handler as it arrives (Router::setStreamedBody: the proxy's audio uploads), when the
    // route has no limit of its own: 200 MiB. 413 above it.
    qsizetype maxUploadBytes = 200LL * 1024 * 1024;
    // The whole head of a request must arrive within this time of its first byte (or of the connection's
    // start): slowloris. 408, then closed.
    int headTimeoutMs = 10'000;
    // A keep-alive connection with nothing to do, or a body that stops moving, is closed after this.
    int idleTimeoutMs = 60'000;
    // After a refusal the server keeps reading (and dropping) what the client still sends for this long, so
    // that the client reads the answer instead of a connection reset; then the connection is closed.
    int lingerMs = 2'000;
    // API threads serving requests (ApiServer); 0: the ideal thread count, between 2 and 4. At most kMaxThreads.
    int threads = 0;
    static constexpr int kMaxThreads = 16;

    // The defaults, each overridable by an environment variable (for tests and benchmarks that run the real
    // binary): GPUDECK_API_MAX_CONNECTIONS, GPUDECK_API_MAX_HEAD_BYTES, GPUDECK_API_MAX_BODY_BYTES,
    // GPUDECK_API_MAX_UPLOAD_BYTES, GPUDECK_API_HEAD_TIMEOUT_MS, GPUDECK_API_IDLE_TIMEOUT_MS, GPUDECK_API_LINGER_MS,
    // GPUDECK_API_THREADS. Values that are not positive integers are ignored.
    static HttpLimits fromEnvironment();
    // maxConnections lowered, when needed, to half the open-file limit.
    HttpLimits fittedToFileLimit() const;
};

} // namespace gpudeck
