#include "alerts/AlertsPanel.h"

#include "FormErrors.h"
#include "RecordTable.h"
#include "alerts/AlertsModel.h"
#include "app/Core.h"
#include "metrics/MetricsService.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>

namespace gpudeck {
namespace {
constexpr int kAlertLimit = 200;
}

AlertsPanel::AlertsPanel(Core &core, QWidget *parent)
    : QWidget(parent)
    , m_core(core)
    , m_model(new AlertsModel(this))
    , m_view(new RecordTable(m_model, QStringLiteral("alertsView"), AlertsModel::MessageColumn, this))
    , m_summary(new QLabel(this))
    , m_activeOnly(new QCheckBox(tr("Active only"), this))
    , m_emptyHint(new QLabel(this))
    , m_reloadTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("alertsPanel"));
    auto *title = new QLabel(tr("Alerts"), this);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    m_summary->setObjectName(QStringLiteral("alertsSummaryLabel"));
    m_activeOnly->setObjectName(QStringLiteral("activeAlertsOnlyCheck"));
    m_emptyHint->setObjectName(QStringLiteral("alertsEmptyHint"));
    m_emptyHint->setForegroundRole(QPalette::PlaceholderText);
    m_emptyHint->setWordWrap(true);
    m_emptyHint->setAlignment(Qt::AlignLeft | Qt::AlignTop);

    auto *header = new QHBoxLayout;
    header->addWidget(title);
    header->addWidget(m_summary);
    header->addStretch();
    header->addWidget(m_activeOnly);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_emptyHint);
    layout->addWidget(m_view, 1);

    // Alerts come in bursts (a host going down ends several at once): one reload for the burst.
    m_reloadTimer->setSingleShot(true);
    m_reloadTimer->setInterval(200);
    connect(m_reloadTimer, &QTimer::timeout, this, &AlertsPanel::reload);
    connect(&m_core.metrics(), &MetricsService::alertChanged, m_reloadTimer, qOverload<>(&QTimer::start));
    connect(m_activeOnly, &QCheckBox::toggled, this, &AlertsPanel::reload);
    reload();
}

void AlertsPanel::reload()
{
    const auto alerts = m_core.metrics().alerts(m_activeOnly->isChecked(), 0, kAlertLimit);
    if (!alerts.ok()) {
        m_summary->setText(FormErrors::text(alerts.error()));
        return;
    }
    m_model->setAlerts(alerts.value());
    const int active = m_model->activeCount();
    m_summary->setText(active > 0 ? tr("%n active", nullptr, active) : QString());
    const bool empty = alerts->isEmpty();
    m_emptyHint->setText(m_activeOnly->isChecked()
                             ? tr("No active alerts.")
                             : tr("No alerts yet. GPU Deck raises one when a GPU runs hot, its memory fills up, or a "
                                  "host stays unreachable; the thresholds are in Monitoring settings."));
    m_emptyHint->setVisible(empty);
    m_view->setVisible(!empty);
}

} // namespace gpudeck
