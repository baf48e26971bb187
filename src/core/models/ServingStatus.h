#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace gpudeck {

enum class Health {
    Unknown, // not checked yet, or the host could not be asked
    Up,
    Down, // failed twice in a row (a single blip is not "down")
};

QString healthName(Health health);

// Which catalog model a host is serving, found out by asking its model ports (GET /v1/models), never assumed
// from what GPU Deck last did.
struct HostServing
{
    QString host;
    QString model;                   // the catalog model answering on its port; empty when none (or not known)
    Health health = Health::Unknown; // Up: `model` answers; Down: no catalog model answers
    QStringList unlisted;            // ids served on the host's model ports that are not in the catalog
    QString swapId;                  // the swap in progress on this host, if any
    QDateTime checkedAt;
    QString detail; // why Down / Unknown (e.g. "connection refused on 8888")
    // When the model up is one across hosts: every host of it shows it, with its role there ("head", "worker").
    QStringList unitHosts;
    QString unitRole;

    QJsonObject toJson() const;
};

// A declared service's health (speech-to-text, embeddings, a vector store...).
struct ServiceHealth
{
    QString host;
    QString name;
    QString kind;
    int port = 0;
    QString path;
    Health health = Health::Unknown;
    QDateTime checkedAt;
    QDateTime since; // when `health` last changed
    int consecutiveFailures = 0;
    qint64 latencyMs = -1;
    QString detail; // the last failure ("HTTP 503", "connection refused")

    QJsonObject toJson() const;
};

} // namespace gpudeck

Q_DECLARE_METATYPE(gpudeck::HostServing)
Q_DECLARE_METATYPE(gpudeck::ServiceHealth)
