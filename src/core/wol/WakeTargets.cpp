#include "wol/WakeTargets.h"

#include <QNetworkInterface>

namespace gpudeck {

QString WakeTarget::text() const
{
    return QStringLiteral("%1:%2").arg(address.toString()).arg(port);
}

QList<WakeTarget> wakeTargets(const QString &wolBroadcast, quint16 port, const QList<QHostAddress> &hostAddresses,
                              const QList<LocalSubnet> &subnets)
{
    QList<WakeTarget> out;
    if (!wolBroadcast.trimmed().isEmpty()) {
        out.append({QHostAddress(wolBroadcast.trimmed()), port, QStringLiteral("wol_broadcast")});
        return out;
    }
    out.append({QHostAddress(QHostAddress::Broadcast), port, QStringLiteral("limited broadcast")});
    for (const LocalSubnet &subnet : subnets) {
        const QHostAddress ip = subnet.entry.ip();
        if (ip.protocol() != QAbstractSocket::IPv4Protocol || subnet.entry.prefixLength() <= 0 ||
            subnet.entry.prefixLength() >= 31) {
            continue; // /31 and /32 have no broadcast address
        }
        const int prefix = subnet.entry.prefixLength();
        for (const QHostAddress &host : hostAddresses) {
            if (host.protocol() != QAbstractSocket::IPv4Protocol || !host.isInSubnet(ip, prefix)) {
                continue;
            }
            const quint32 mask = prefix == 0 ? 0 : ~quint32(0) << (32 - prefix);
            const QHostAddress broadcast((ip.toIPv4Address() & mask) | ~mask);
            const WakeTarget target{broadcast, port,
                                    QStringLiteral("directed broadcast of %1").arg(subnet.interfaceName)};
            if (!out.contains(target)) {
                out.append(target);
            }
        }
    }
    return out;
}

QList<LocalSubnet> localSubnets()
{
    QList<LocalSubnet> out;
    const auto interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &iface : interfaces) {
        const auto flags = iface.flags();
        if (!flags.testFlag(QNetworkInterface::IsUp) || !flags.testFlag(QNetworkInterface::CanBroadcast) ||
            flags.testFlag(QNetworkInterface::IsLoopBack)) {
            continue;
        }
        for (const QNetworkAddressEntry &entry : iface.addressEntries()) {
            if (entry.ip().protocol() == QAbstractSocket::IPv4Protocol) {
                out.append({iface.humanReadableName(), entry});
            }
        }
    }
    return out;
}

} // namespace gpudeck
