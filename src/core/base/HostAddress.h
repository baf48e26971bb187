#pragma once

#include <QHostAddress>
#include <QList>

namespace gpudeck {

// Which of a name's addresses HTTP probes and the proxy connect to. Model servers mostly bind IPv4 only (0.0.0.0),
// and a name that resolves to IPv6 first (a `.local` name over mDNS) would leave a connect waiting on an address
// nothing listens on: IPv4 first.

// The first IPv4 address; null when there is none.
inline QHostAddress firstIPv4(const QList<QHostAddress> &addresses)
{
    for (const QHostAddress &a : addresses) {
        if (a.protocol() == QAbstractSocket::IPv4Protocol) {
            return a;
        }
    }
    return {};
}

// The first IPv4 address, else the first of any kind; null when there is none.
inline QHostAddress preferIPv4(const QList<QHostAddress> &addresses)
{
    const QHostAddress v4 = firstIPv4(addresses);
    return v4.isNull() ? addresses.value(0) : v4;
}

} // namespace gpudeck
