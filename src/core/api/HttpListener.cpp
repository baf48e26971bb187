#include "api/HttpListener.h"

#include "logging/Logging.h"

#include <QTimer>

namespace gpudeck {

HttpListener::HttpListener(Accept accept, QObject *parent)
    : QTcpServer(parent)
    , m_accept(std::move(accept))
{
    connect(this, &QTcpServer::acceptError, this, [this](QAbstractSocket::SocketError error) {
        // QTcpServer has paused accepting (EMFILE, ENFILE, ENOBUFS...). Resume shortly: by then the
        // connection cap or the timeouts have usually freed descriptors.
        qCWarning(lcApi) << "accepting a connection failed:" << error << errorString() << "- retrying";
        pauseAccepting();
        QTimer::singleShot(kAcceptRetryMs, this, [this] { resumeAccepting(); });
    });
}

void HttpListener::incomingConnection(qintptr descriptor)
{
    m_accept(descriptor);
}

} // namespace gpudeck
