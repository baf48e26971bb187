#pragma once

#include <QByteArrayView>
#include <QtGlobal>

namespace gpudeck {

// The far end of a loopback TCP connection served inside this process (an SSH link's forwarded port): what the
// client end sends may be handed straight to what serves it, on the sender's thread, instead of through the kernel
// and a wake-up of the serving thread. deliver() says false whenever that cannot be done at once, and the sender
// then writes to its socket as usual: the shortcut changes when bytes arrive, never what arrives or in which order.
class LoopbackShortcut
{
public:
    virtual ~LoopbackShortcut() = default;
    // `data` from the client end bound to 127.0.0.1:clientPort of a connection to 127.0.0.1:serverPort. The caller
    // has nothing of that connection still unsent in its own socket (nothingUnsent(), base/SocketWrite): what it
    // sent before is then in the serving end's receive queue, where deliver() sees it and declines.
    virtual bool deliver(quint16 serverPort, quint16 clientPort, QByteArrayView data) = 0;
};

} // namespace gpudeck
