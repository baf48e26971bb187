#pragma once

#include <QByteArray>

namespace gpudeck {

// The Wake-on-LAN "magic packet": 6 bytes of 0xFF, then the target's 6-byte MAC 16 times (102 bytes), then the
// 6-byte SecureOn password when the NIC wants one (108 bytes). Sent as one UDP datagram; the NIC matches the
// pattern anywhere in the frame, so the port (9, "discard", by convention) only has to get it onto the wire.
// An empty result when `mac` is not 6 bytes or `secureOn` is neither empty nor 6 bytes.
QByteArray magicPacket(const QByteArray &mac, const QByteArray &secureOn = {});

} // namespace gpudeck
