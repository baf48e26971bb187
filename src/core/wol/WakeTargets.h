#pragma once

#include <QHostAddress>
#include <QList>
#include <QNetworkAddressEntry>
#include <QString>

namespace gpudeck {

// Where a magic packet goes: one UDP destination, and why it was chosen (shown in the outcome).
struct WakeTarget
{
    QHostAddress address;
    quint16 port = 9;
    QString reason; // "wol_broadcast", "limited broadcast", "directed broadcast of <interface>"

    QString text() const; // "192.0.2.255:9"
    bool operator==(const WakeTarget &other) const { return address == other.address && port == other.port; }
};

// One IPv4 address of a local interface that can broadcast.
struct LocalSubnet
{
    QString interfaceName;
    QNetworkAddressEntry entry;
};

// The destinations of a wake. A configured `wolBroadcast` (an IPv4 address: a directed broadcast, or a relay's
// address) is the only one: the user said where. Otherwise the limited broadcast 255.255.255.255 (the host's own
// link, whatever it is) plus the directed broadcast of each local subnet that contains one of `hostAddresses`
// (the sleeping host's IPv4 addresses, when its name resolves): the limited broadcast leaves through one interface
// only (the default route's), the directed ones make sure the interface that really reaches the host sends it too.
// No duplicates; IPv6 addresses are ignored (Wake-on-LAN is an IPv4 broadcast).
QList<WakeTarget> wakeTargets(const QString &wolBroadcast, quint16 port, const QList<QHostAddress> &hostAddresses,
                              const QList<LocalSubnet> &subnets);

// This computer's IPv4 subnets on interfaces that are up, can broadcast and are not loopback (QNetworkInterface).
QList<LocalSubnet> localSubnets();

} // namespace gpudeck
