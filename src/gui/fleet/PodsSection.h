#pragma once

#include "Confirm.h"
#include "runpod/RunPodTypes.h"

#include <QDateTime>
#include <QHash>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QTimer;

namespace gpudeck {

class PodsModel;
class RecordTable;

// The Fleet pane's RunPod pods: a header (how many run, what they cost per hour together, where the API key comes
// from, Create pod…, API key…), the pods in a table (status, GPU type × count, cloud, cost per hour, uptime, cost so
// far, the connection made from it) and Start, Stop, Restart and Terminate… for the selected pod, each enabled only
// when the pod's state allows it (RunPod's own `actions`). Without an API key it shows only that RunPod is not set up
// and a button to set the key.
//
// A plain widget: what it shows comes from setKeyState/setPods/setReadError (FleetPods feeds it from the core's
// RunPodService); what the user asks is emitted after a confirmation (terminate deletes the pod's disk: the user types
// the pod's name).
class PodsSection : public QWidget
{
    Q_OBJECT
public:
    explicit PodsSection(QWidget *parent = nullptr);
    ~PodsSection() override;

    // Whether RunPod can be used: a key in the keychain, or RUNPOD_API_KEY in the environment (which wins).
    void setKeyState(const RunPodKeyState &state);
    bool configured() const { return m_keyKnown && m_key.configured(); }
    void setPods(const QList<RunPodPod> &pods);
    // The catalog: GPU names instead of ids, and the price a stopped pod will be billed at when started.
    void setGpuTypes(const QList<RunPodGpuType> &types);
    // The names of the connections made from pods (the Fleet's hosts).
    void setConnectionNames(const QHash<qint64, QString> &names);
    // The cost guard: per connection what its running jobs do to the pod when they end, and the idle pod alert
    // (seconds; 0: off), in the summary line.
    void setGuards(const QHash<qint64, QString> &guards);
    void setIdleAlert(int seconds);
    // The last read failed (the pods shown are those read before, if any).
    void setReadError(const QString &message);
    bool hasPods() const;

    void setQuestion(Confirm::Question question) { m_question = std::move(question); }
    void setTypedQuestion(Confirm::TypedQuestion question) { m_typedQuestion = std::move(question); }
    // Asks (typing the pod's name for terminate), then emits actionRequested; false when the user said no or the pod
    // cannot take that action now.
    bool requestAction(const QString &podId, const QString &action);
    // What became of an action asked here: shown under the table.
    void setActionDone(const QString &podId, const QString &action);
    void setActionFailed(const QString &podId, const QString &action, const QString &message);
    void setMessage(const QString &text);

    QString selectedPodId() const;
    void selectPod(const QString &podId);

    PodsModel *model() const { return m_model; }
    RecordTable *table() const { return m_table; }
    QPushButton *actionButton(const QString &action) const { return m_buttons.value(action); }
    QPushButton *createButton() const { return m_create; }
    QPushButton *keyButton() const { return m_keyButton; }
    QPushButton *setupButton() const { return m_setup; }
    QLabel *summaryLabel() const { return m_summary; }
    QLabel *statusLabel() const { return m_status; }
    QLabel *emptyLabel() const { return m_empty; }
    QLabel *setupText() const { return m_setupText; }

    static QString actionLabel(const QString &action); // "Start", "Stop", "Restart", "Terminate"
    static const QStringList &actions();

Q_SIGNALS:
    void actionRequested(const QString &podId, const QString &action);
    void createRequested();
    void keyRequested();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void updateButtons();
    void updateSummary();
    void updatePages();
    QString podName(const QString &podId) const; // also of a pod gone since it was asked about

    PodsModel *m_model = nullptr;
    Confirm::Question m_question = Confirm::standard();
    Confirm::TypedQuestion m_typedQuestion = Confirm::standardTyped();
    RunPodKeyState m_key;
    bool m_keyKnown = false;
    QHash<QString, RunPodGpuType> m_gpuTypes;
    QHash<QString, QString> m_askedNames; // pod id → name, for the answer to an action (terminate removes the pod)
    int m_idleAlertSeconds = 0;
    bool m_read = false; // pods were read at least once
    QLabel *m_summary = nullptr;
    QPushButton *m_create = nullptr;
    QPushButton *m_keyButton = nullptr;
    QLabel *m_setupText = nullptr;
    QPushButton *m_setup = nullptr;
    QWidget *m_podsPage = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_empty = nullptr;
    RecordTable *m_table = nullptr;
    QHash<QString, QPushButton *> m_buttons;
    QProgressBar *m_busy = nullptr;
    QLabel *m_status = nullptr;
    QTimer *m_clock = nullptr; // moves uptime and cost so far on while shown
};

} // namespace gpudeck
