#include "wol/MagicPacket.h"

namespace gpudeck {

QByteArray magicPacket(const QByteArray &mac, const QByteArray &secureOn)
{
    if (mac.size() != 6 || (!secureOn.isEmpty() && secureOn.size() != 6)) {
        return {};
    }
    QByteArray packet(6, char(0xff));
    packet.reserve(6 + 16 * 6 + secureOn.size());
    for (int i = 0; i < 16; ++i) {
        packet.append(mac);
    }
    packet.append(secureOn);
    return packet;
}

} // namespace gpudeck
