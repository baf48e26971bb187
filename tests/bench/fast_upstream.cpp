// A fast stand-in for a model server, for proxy_bench: one thread, epoll, HTTP/1.1 keep-alive, no Qt, so that
// what the bench compares is the proxies and not the upstream. It answers any POST whose body asks for
// `"stream":true` with a chunked server-sent-event stream of a few tokens (sent at once), an upload
// (multipart/form-data) with the byte count and a checksum of its body, and anything else with a small chat
// completion carrying `usage`. GET /v1/models lists the model ids it was given; any other GET answers 200 `{}`.
//
//   bench_fast_upstream PORT [MODEL...]
#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <unordered_map>

namespace {

const char kCompletion[] =
    R"({"id":"cmpl-bench","object":"chat.completion","created":1700000000,"model":"example/model-8b",)"
    R"("choices":[{"index":0,"message":{"role":"assistant","content":"Hi there."},"finish_reason":"stop"}],)"
    R"("usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}})";

const char kStream[] =
    "data: "
    "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}"
    "\n\n"
    "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" "
    "there\"}}]}\n\n"
    "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,"
    "\"completion_tokens\":2,\"total_tokens\":11}}\n\n"
    "data: [DONE]\n\n";

struct Conn
{
    std::string in;
    std::string out;
    size_t headEnd = std::string::npos;
    long long contentLength = 0;
    long long bodySeen = 0;
    unsigned long long checksum = 0; // an FNV-1a of the body as it streams (uploads are not kept)
    bool stream = false;
    bool upload = false;
    bool get = false;
    std::string path;
};

std::string g_models; // the answer to GET /v1/models

void setNonBlocking(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

std::string header(const std::string &head, const char *name)
{
    std::string lower = head;
    for (char &ch : lower) {
        ch = char(tolower(ch));
    }
    const std::string key = std::string("\r\n") + name + ":";
    const size_t at = lower.find(key);
    if (at == std::string::npos) {
        return {};
    }
    size_t start = at + key.size();
    while (start < head.size() && head[start] == ' ') {
        ++start;
    }
    return head.substr(start, head.find("\r\n", start) - start);
}

void answer(Conn &c)
{
    if (c.get) {
        const std::string body = c.path == "/v1/models" ? g_models : std::string("{}");
        c.out += "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                 "\r\n\r\n" + body;
    } else if (c.upload) {
        char body[160];
        const int n = std::snprintf(body, sizeof body, "{\"text\":\"bench\",\"bytes\":%lld,\"fnv1a\":\"%016llx\"}",
                                    c.bodySeen, c.checksum);
        c.out += "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(n) +
                 "\r\n\r\n" + std::string(body, size_t(n));
    } else if (c.stream) {
        char size[32];
        std::snprintf(size, sizeof size, "%zx\r\n", sizeof kStream - 1);
        c.out +=
            std::string("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n") +
            size + kStream + "\r\n0\r\n\r\n";
    } else {
        c.out += "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                 std::to_string(sizeof kCompletion - 1) + "\r\n\r\n" + kCompletion;
    }
}

// Consumes complete requests from c.in; returns false on a malformed one.
bool process(Conn &c)
{
    while (true) {
        if (c.headEnd == std::string::npos) {
            c.headEnd = c.in.find("\r\n\r\n");
            if (c.headEnd == std::string::npos) {
                return c.in.size() < 65536;
            }
            const std::string head = c.in.substr(0, c.headEnd);
            const std::string length = header(head, "content-length");
            c.contentLength = length.empty() ? 0 : std::atoll(length.c_str());
            c.upload = header(head, "content-type").rfind("multipart/", 0) == 0;
            c.bodySeen = 0;
            c.checksum = 1469598103934665603ULL;
            c.stream = false;
            c.get = head.rfind("GET ", 0) == 0;
            const size_t pathStart = head.find(' ') + 1;
            c.path = head.substr(pathStart, head.find(' ', pathStart) - pathStart);
            c.in.erase(0, c.headEnd + 4);
        }
        const long long take = std::min<long long>(c.contentLength - c.bodySeen, (long long)c.in.size());
        if (c.upload) {
            for (long long i = 0; i < take; ++i) {
                c.checksum = (c.checksum ^ (unsigned char)c.in[size_t(i)]) * 1099511628211ULL;
            }
        } else if (take > 0) {
            const std::string part = c.in.substr(0, size_t(take));
            if (part.find("\"stream\":true") != std::string::npos ||
                part.find("\"stream\": true") != std::string::npos) {
                c.stream = true;
            }
        }
        c.bodySeen += take;
        c.in.erase(0, size_t(take));
        if (c.bodySeen < c.contentLength) {
            return true;
        }
        answer(c);
        c.headEnd = std::string::npos;
        if (c.in.empty()) {
            return true;
        }
    }
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_fast_upstream PORT\n");
        return 2;
    }
    g_models = R"({"object":"list","data":[)";
    for (int i = 2; i < argc; ++i) {
        g_models += std::string(i > 2 ? "," : "") + R"({"id":")" + argv[i] + R"(","object":"model"})";
    }
    g_models += "]}";
    const int listener = socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(uint16_t(std::atoi(argv[1])));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 || listen(listener, 1024) != 0) {
        std::perror("bench_fast_upstream: listen");
        return 1;
    }
    setNonBlocking(listener);
    const int ep = epoll_create1(0);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = listener;
    epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev);
    std::unordered_map<int, Conn> conns;
    epoll_event events[256];
    char buf[256 * 1024];
    auto closeConn = [&](int fd) {
        epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr);
        close(fd);
        conns.erase(fd);
    };
    auto flush = [&](int fd, Conn &c) {
        while (!c.out.empty()) {
            const ssize_t n = send(fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
            if (n <= 0) {
                if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                    epoll_event w{};
                    w.events = EPOLLIN | EPOLLOUT;
                    w.data.fd = fd;
                    epoll_ctl(ep, EPOLL_CTL_MOD, fd, &w);
                    return true;
                }
                return false;
            }
            c.out.erase(0, size_t(n));
        }
        epoll_event r{};
        r.events = EPOLLIN;
        r.data.fd = fd;
        epoll_ctl(ep, EPOLL_CTL_MOD, fd, &r);
        return true;
    };
    while (true) {
        const int n = epoll_wait(ep, events, 256, -1);
        for (int i = 0; i < n; ++i) {
            const int fd = events[i].data.fd;
            if (fd == listener) {
                while (true) {
                    const int c = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK);
                    if (c < 0) {
                        break;
                    }
                    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    epoll_event a{};
                    a.events = EPOLLIN;
                    a.data.fd = c;
                    epoll_ctl(ep, EPOLL_CTL_ADD, c, &a);
                    conns[c];
                }
                continue;
            }
            Conn &c = conns[fd];
            bool ok = true;
            if (events[i].events & EPOLLIN) {
                while (true) {
                    const ssize_t got = recv(fd, buf, sizeof buf, 0);
                    if (got > 0) {
                        c.in.append(buf, size_t(got));
                        continue;
                    }
                    if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
                        ok = false;
                    }
                    break;
                }
                ok = process(c) && ok;
            }
            if (!c.out.empty() || (events[i].events & EPOLLOUT)) {
                ok = flush(fd, c) && ok;
            }
            if (!ok || (events[i].events & (EPOLLERR | EPOLLHUP))) {
                closeConn(fd);
            }
        }
    }
}
