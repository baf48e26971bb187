#pragma once

#include <QTcpServer>
#include <functional>

namespace gpudeck {

// The listening socket of the API. It hands every accepted descriptor straight to its owner (no pending
// queue), and when accept() fails for want of file descriptors it pauses for a moment and tries again, so a
// burst of connections never leaves the API deaf (QTcpServer alone stops accepting for good) or spinning.
class HttpListener : public QTcpServer
{
    Q_OBJECT
public:
    using Accept = std::function<void(qintptr descriptor)>;

    explicit HttpListener(Accept accept, QObject *parent = nullptr);

    static constexpr int kAcceptRetryMs = 100;

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    Accept m_accept;
};

} // namespace gpudeck
