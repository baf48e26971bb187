#pragma once

#include "Confirm.h"
#include "proxmox/ProxmoxTypes.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace gpudeck {

class FlowLayout;
class ProxmoxGuestsModel;
class ProxmoxNodeTile;
class RecordTable;

// One Proxmox cluster (or lone node) in the Fleet pane: the quorum line (cluster name, quorate or not, nodes online,
// votes, where the data come from and when), its nodes as tiles, and its VMs and containers in a table with Start,
// Shutdown, Stop and Reboot. An action is asked first (Confirm), then requested with actionRequested(); the task it
// starts is shown under the table, followed to its end (setTask), with its exit status.
class ProxmoxSection : public QWidget
{
    Q_OBJECT
public:
    explicit ProxmoxSection(qint64 connectionId, QWidget *parent = nullptr);
    ~ProxmoxSection() override;

    qint64 connectionId() const { return m_connectionId; }
    void setStatus(const ProxmoxStatus &status);
    const ProxmoxStatus &status() const { return m_status; }

    // How the section asks before an action (Confirm::ask unless a test answers instead).
    void setQuestion(Confirm::Question question) { m_question = std::move(question); }
    // Asks, then emits actionRequested; false when the user said no or the guest cannot take that action now.
    bool requestAction(int vmid, const QString &action);
    // An action's task as it runs and when it has ended (ProxmoxTask::finished / exitStatus).
    void setTask(const ProxmoxTask &task);
    // An action refused before any task started (the API's error message).
    void setActionFailed(int vmid, const QString &action, const QString &message);

    QLabel *quorumLabel() const { return m_quorum; }
    QList<ProxmoxNodeTile *> nodeTiles() const;
    RecordTable *guestTable() const { return m_table; }
    ProxmoxGuestsModel *guestModel() const { return m_model; }
    QPushButton *actionButton(const QString &action) const { return m_buttons.value(action); }
    QLabel *taskLabel() const { return m_taskLabel; }
    QPushButton *trustButton() const { return m_trustButton; }
    // The node's certificate is not pinned yet (or changed): shows its fingerprint, asks, then trustRequested().
    bool requestTrust();

    // The action's verb in words ("Shut down"), and whether `guest` can take it now.
    static QString actionLabel(const QString &action);
    static bool canTake(const ProxmoxGuest &guest, const QString &action);

Q_SIGNALS:
    void actionRequested(qint64 connectionId, int vmid, const QString &action);
    // The user checked the fingerprint and trusts it (`replace`: instead of the one pinned before).
    void trustRequested(qint64 connectionId, const QString &fingerprint, bool replace);

private:
    void updateQuorum();
    void updateNodes();
    void updateButtons();
    int selectedVmid() const;

    qint64 m_connectionId;
    ProxmoxStatus m_status;
    Confirm::Question m_question = Confirm::standard();
    QLabel *m_title = nullptr;
    QLabel *m_quorum = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_trustButton = nullptr;
    QWidget *m_nodesWidget = nullptr;
    FlowLayout *m_nodesFlow = nullptr;
    QHash<QString, ProxmoxNodeTile *> m_nodes;
    ProxmoxGuestsModel *m_model = nullptr;
    RecordTable *m_table = nullptr;
    QHash<QString, QPushButton *> m_buttons;
    QLabel *m_taskLabel = nullptr;
    QProgressBar *m_taskBusy = nullptr;
    QString m_taskUpid; // the task shown under the table
};

} // namespace gpudeck
