#include "models/ModelsPane.h"

#include "FormErrors.h"
#include "Heading.h"
#include "app/Core.h"
#include "models/ModelLogDialog.h"
#include "models/ModelService.h"
#include "models/SwapProgress.h"

#include <QDir>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace gpudeck {
namespace {

// On a top-level row of models across hosts: the hosts they run on (head first). Host rows have none.
constexpr int kUnitHostsRole = Qt::UserRole + 1;

QString healthText(Health health)
{
    switch (health) {
    case Health::Up:
        return ModelsPane::tr("Up");
    case Health::Down:
        return ModelsPane::tr("Down");
    case Health::Unknown:
        break;
    }
    return ModelsPane::tr("Unknown");
}

QColor healthColour(Health health)
{
    switch (health) {
    case Health::Up:
        return QColor(0x1b, 0x7f, 0x3b);
    case Health::Down:
        return QColor(0xb3, 0x26, 0x1e);
    case Health::Unknown:
        break;
    }
    return QColor(0x70, 0x70, 0x70);
}

// "context: 32768, quantization: awq"; nested values as compact JSON.
QString settingsText(const QJsonObject &settings)
{
    QStringList parts;
    for (auto it = settings.begin(); it != settings.end(); ++it) {
        const QJsonValue v = it.value();
        QString value;
        if (v.isString()) {
            value = v.toString();
        } else if (v.isDouble()) {
            value = QString::number(v.toDouble(), 'g', 12);
        } else if (v.isBool()) {
            value = v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        } else if (v.isObject()) {
            value = QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
        } else if (v.isArray()) {
            value = QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
        }
        parts.append(it.key() + QStringLiteral(": ") + value);
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

void ModelsPane::refresh()
{
    m_refreshButton->click();
}

ModelsPane::ModelsPane(Core &core, QWidget *parent)
    : QWidget(parent)
    , m_core(core)
    , m_path(new QLabel(this))
    , m_errors(new QLabel(this))
    , m_models(new QTreeWidget(this))
    , m_services(new QTreeWidget(this))
    , m_swap(new SwapProgress(this))
    , m_reloadButton(new QPushButton(tr("&Reload models.yaml"), this))
    , m_refreshButton(new QPushButton(tr("Re&fresh status"), this))
    , m_trafficTimer(new QTimer(this))
{
    m_path->setObjectName(QStringLiteral("modelsPath"));
    m_path->setWordWrap(true);
    m_path->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errors->setObjectName(QStringLiteral("modelsErrors"));
    m_errors->setWordWrap(true);
    m_errors->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errors->setStyleSheet(QStringLiteral("QLabel { color: #b3261e; background: #fdecea; border: 1px solid #f5c2c0;"
                                           " border-radius: 3px; padding: 6px; }"));
    m_errors->hide();
    m_reloadButton->setObjectName(QStringLiteral("reloadModelsButton"));
    m_reloadButton->setToolTip(tr("Read models.yaml again (it is also re-read when it changes)"));
    m_refreshButton->setObjectName(QStringLiteral("refreshModelsButton"));
    m_refreshButton->setToolTip(tr("Ask every host which model it serves, and check the services, now"));

    m_models->setObjectName(QStringLiteral("modelsView"));
    m_models->setColumnCount(ColumnCount);
    m_models->setHeaderLabels({tr("Model"), tr("Id"), tr("Port"), tr("Settings"), tr("Traffic (proxy)"), tr("Serving"),
                               QString(), QString()});
    m_models->headerItem()->setToolTip(TrafficColumn,
                                       tr("Requests and tokens per second over the last minute, latency (median and "
                                          "95th percentile) and errors over the last hour, as the proxy saw them"));
    m_models->setRootIsDecorated(true);
    m_models->setUniformRowHeights(false);
    m_models->setSelectionMode(QAbstractItemView::SingleSelection);
    m_models->header()->setStretchLastSection(false);
    m_models->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_models->header()->setSectionResizeMode(SettingsColumn, QHeaderView::Stretch);

    m_services->setObjectName(QStringLiteral("servicesView"));
    m_services->setColumnCount(5);
    m_services->setHeaderLabels({tr("Service"), tr("Host"), tr("Kind"), tr("Port"), tr("Health")});
    m_services->setRootIsDecorated(false);
    m_services->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_services->header()->setStretchLastSection(true);

    auto *top = new QHBoxLayout;
    top->addWidget(makeHeading(tr("Models"), this));
    top->addWidget(m_path, 1);
    top->addWidget(m_refreshButton);
    top->addWidget(m_reloadButton);

    auto *servicesBox = new QWidget(this);
    auto *servicesLayout = new QVBoxLayout(servicesBox);
    servicesLayout->setContentsMargins(0, 0, 0, 0);
    servicesLayout->addWidget(makeHeading(tr("Services"), servicesBox));
    servicesLayout->addWidget(m_services, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("modelsSplitter"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_models);
    splitter->addWidget(servicesBox);
    splitter->addWidget(m_swap);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 2);
    m_swap->hide();

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_errors);
    layout->addWidget(splitter, 1);

    ModelService &models = m_core.models();
    connect(&models, &ModelService::catalogChanged, this, &ModelsPane::reloadCatalog);
    connect(&models, &ModelService::catalogErrorsChanged, this, &ModelsPane::reloadErrors);
    connect(&models, &ModelService::servingChanged, this, &ModelsPane::reloadServing);
    connect(&models, &ModelService::servicesChanged, this, &ModelsPane::reloadServices);
    connect(&models, &ModelService::swapUpdated, this, &ModelsPane::showSwap);
    connect(&models, &ModelService::swapFinished, this, [this](const SwapReport &report) {
        showSwap(report);
        Q_EMIT message(tr("Swap on %1: %2").arg(report.host, SwapProgress::stateText(report.state)));
        reloadServing();
    });
    connect(m_swap, &SwapProgress::forceRequested, this, &ModelsPane::forceSwap);
    connect(m_swap, &SwapProgress::cancelRequested, this, [this](const QString &id) {
        const auto cancelled = m_core.models().cancelSwap(id);
        m_core.audit().recordGui(QStringLiteral("POST"), QStringLiteral("/api/dgx/models/swap/:id/cancel"), id,
                                 cancelled.ok() ? Status() : Status(cancelled.error()));
        if (!cancelled.ok()) {
            QMessageBox::warning(this, tr("Cancel swap"), FormErrors::text(cancelled.error()));
        }
    });
    connect(m_reloadButton, &QPushButton::clicked, this, [this] {
        m_core.models().reload();
        reloadCatalog();
        reloadErrors();
    });
    m_trafficTimer->setInterval(2000);
    connect(m_trafficTimer, &QTimer::timeout, this, [this] {
        if (isVisible()) {
            reloadTraffic();
        }
    });
    m_trafficTimer->start();
    connect(m_refreshButton, &QPushButton::clicked, this, [this] {
        m_core.models().refresh();
        Q_EMIT message(tr("Asking the hosts which models they serve…"));
    });
    reloadCatalog();
    reloadErrors();
    reloadServices();
}

void ModelsPane::reloadCatalog()
{
    const ModelCatalog catalog = m_core.models().catalog();
    const QString path = QDir::toNativeSeparators(m_core.models().catalogPath());
    m_path->setText(
        catalog.hosts.isEmpty()
            ? tr("No models yet: describe what each host can serve in %1 (see models.example.yaml).").arg(path)
            : tr("From %1").arg(path));
    m_models->clear();
    // Models across hosts get a row of their own per set of hosts (one serving unit), after their head's host.
    QHash<QString, QTreeWidgetItem *> unitItems;
    for (const HostCatalog &host : catalog.hosts) {
        auto *hostItem = new QTreeWidgetItem(m_models);
        hostItem->setText(NameColumn, host.host);
        hostItem->setData(NameColumn, Qt::UserRole, host.host);
        QFont bold = hostItem->font(NameColumn);
        bold.setBold(true);
        hostItem->setFont(NameColumn, bold);
        for (const ModelSpec &model : host.models) {
            QTreeWidgetItem *parent = hostItem;
            if (model.spansHosts()) {
                const QString hosts = model.hosts().join(QStringLiteral(" + "));
                parent = unitItems.value(hosts);
                if (!parent) {
                    parent = new QTreeWidgetItem(m_models);
                    parent->setText(NameColumn, hosts);
                    parent->setData(NameColumn, Qt::UserRole, model.host);
                    parent->setData(NameColumn, kUnitHostsRole, model.hosts());
                    parent->setFont(NameColumn, bold);
                    parent->setToolTip(NameColumn, tr("Served together: a swap to a model here stops and starts it "
                                                      "on every one of these hosts"));
                    unitItems.insert(hosts, parent);
                }
            }
            auto *item = new QTreeWidgetItem(parent);
            item->setText(NameColumn, model.displayName.isEmpty() ? model.id : model.displayName);
            item->setData(NameColumn, Qt::UserRole, model.id);
            item->setText(IdColumn, model.id);
            if (!model.aliases.isEmpty()) {
                item->setToolTip(IdColumn, tr("Also answers to: %1").arg(model.aliases.join(QStringLiteral(", "))));
            }
            item->setText(PortColumn, QString::number(model.port));
            item->setText(SettingsColumn, settingsText(model.settings));
            item->setToolTip(SettingsColumn, item->text(SettingsColumn));
            auto *swap = new QPushButton(tr("Swap"), m_models);
            swap->setObjectName(QStringLiteral("swapButton"));
            swap->setProperty("host", host.host);
            swap->setProperty("model", model.id);
            swap->setToolTip(
                tr("Serve %1 on %2 (asks first)").arg(model.id, model.hosts().join(QStringLiteral(" + "))));
            const QString hostName = host.host;
            const QString modelId = model.id;
            connect(swap, &QPushButton::clicked, this, [this, hostName, modelId] { swapTo(hostName, modelId); });
            m_models->setItemWidget(item, SwapColumn, swap);
            // A model across hosts: each host's part may have a log of its own; the window opens on the first.
            QStringList followable;
            for (const QString &on : model.hosts()) {
                if (const auto part = model.partOn(on); part && !part->logsFollow.isEmpty()) {
                    followable << on;
                }
            }
            const QString logHost = followable.value(0, hostName);
            auto *logs = new QPushButton(tr("Logs"), m_models);
            logs->setObjectName(QStringLiteral("logsButton"));
            logs->setProperty("host", logHost);
            logs->setProperty("model", model.id);
            logs->setEnabled(!followable.isEmpty());
            if (followable.isEmpty()) {
                logs->setToolTip(tr("No log to follow: give %1 a logs_follow command in models.yaml (e.g. `docker "
                                    "logs -f --tail 200 vllm`)")
                                     .arg(model.id));
            } else if (model.spansHosts()) {
                logs->setToolTip(tr("Follow the log of %1 on one of its hosts: %2")
                                     .arg(model.id, followable.join(QStringLiteral(", "))));
            } else {
                logs->setToolTip(
                    tr("Follow the log of %1 on %2 (%3)").arg(model.id, host.host, model.logsFollowCommand()));
            }
            connect(logs, &QPushButton::clicked, this, [this, logHost, modelId] { showLogs(logHost, modelId); });
            m_models->setItemWidget(item, LogsColumn, logs);
        }
    }
    m_models->expandAll();
    reloadServing();
    reloadTraffic();
}

void ModelsPane::reloadErrors()
{
    const QList<CatalogError> errors = m_core.models().catalogErrors();
    if (errors.isEmpty()) {
        m_errors->hide();
        m_errors->clear();
        return;
    }
    QStringList lines;
    for (const CatalogError &e : errors) {
        lines.append(e.toString().toHtmlEscaped());
    }
    const bool haveCatalog = !m_core.models().catalog().hosts.isEmpty();
    m_errors->setText(QStringLiteral("<b>%1</b><br>%2<br><i>%3</i>")
                          .arg(tr("models.yaml has problems:"), lines.join(QStringLiteral("<br>")),
                               haveCatalog ? tr("The last good version below stays in use until it is fixed.")
                                           : tr("Nothing is in use until it is fixed.")));
    m_errors->show();
}

void ModelsPane::reloadServing()
{
    for (int i = 0; i < m_models->topLevelItemCount(); ++i) {
        QTreeWidgetItem *hostItem = m_models->topLevelItem(i);
        const QString host = hostItem->data(NameColumn, Qt::UserRole).toString();
        const HostServing serving = m_core.models().serving(host);
        const bool unitRow = !hostItem->data(NameColumn, kUnitHostsRole).toStringList().isEmpty();
        bool servesRow = false; // the model served is one of this row's
        for (int j = 0; j < hostItem->childCount(); ++j) {
            servesRow = servesRow || hostItem->child(j)->data(NameColumn, Qt::UserRole).toString() == serving.model;
        }
        QString state;
        Health shown = serving.health;
        if (!serving.swapId.isEmpty()) {
            state = tr("Swapping…");
        } else if (unitRow && !servesRow) {
            state = tr("Not serving");
            shown = Health::Unknown;
        } else if (!unitRow && !serving.unitHosts.isEmpty()) {
            state = tr("Part of %1 (%2)").arg(serving.model, serving.unitHosts.join(QStringLiteral(" + ")));
        } else if (!serving.model.isEmpty()) {
            state = tr("Serving %1 (%2)").arg(serving.model, healthText(serving.health));
        } else {
            state = serving.health == Health::Down ? tr("Nothing served") : healthText(serving.health);
        }
        hostItem->setText(StateColumn, state);
        hostItem->setForeground(StateColumn, healthColour(shown));
        hostItem->setToolTip(StateColumn, serving.detail);
        for (int j = 0; j < hostItem->childCount(); ++j) {
            QTreeWidgetItem *item = hostItem->child(j);
            const QString id = item->data(NameColumn, Qt::UserRole).toString();
            const bool up = !id.isEmpty() && id == serving.model;
            item->setText(StateColumn, up ? QStringLiteral("● ") + healthText(serving.health) : QString());
            item->setForeground(StateColumn, healthColour(serving.health));
            QFont font = item->font(NameColumn);
            font.setBold(up);
            item->setFont(NameColumn, font);
            if (auto *swap = qobject_cast<QPushButton *>(m_models->itemWidget(item, SwapColumn))) {
                swap->setEnabled(serving.swapId.isEmpty() && !(up && serving.health == Health::Up));
            }
        }
    }
}

void ModelsPane::reloadTraffic()
{
    auto ms = [](double v) {
        return v >= 1000 ? tr("%1 s").arg(QLocale().toString(v / 1000.0, 'f', 1)) : tr("%1 ms").arg(qRound(v));
    };
    for (int i = 0; i < m_models->topLevelItemCount(); ++i) {
        QTreeWidgetItem *hostItem = m_models->topLevelItem(i);
        for (int j = 0; j < hostItem->childCount(); ++j) {
            QTreeWidgetItem *item = hostItem->child(j);
            const QJsonObject s = m_core.models().stats(item->data(NameColumn, Qt::UserRole).toString());
            const int requests = s.value(QStringLiteral("requests")).toInt();
            if (requests == 0 && s.value(QStringLiteral("in_flight")).toInt() == 0) {
                item->setText(TrafficColumn, QString());
                item->setToolTip(TrafficColumn, tr("No requests through the proxy in the last hour"));
                continue;
            }
            QStringList parts{
                tr("%1 req/s").arg(QLocale().toString(s.value(QStringLiteral("requests_per_s")).toDouble(), 'f', 2)),
                tr("%1 tok/s").arg(QLocale().toString(s.value(QStringLiteral("tokens_per_s")).toDouble(), 'f', 1))};
            if (s.value(QStringLiteral("latency_p50_ms")).isDouble()) {
                parts << tr("p50 %1 · p95 %2")
                             .arg(ms(s.value(QStringLiteral("latency_p50_ms")).toDouble()),
                                  ms(s.value(QStringLiteral("latency_p95_ms")).toDouble()));
            }
            if (const int errors = s.value(QStringLiteral("errors")).toInt(); errors > 0) {
                parts << tr("%n error(s)", nullptr, errors);
            }
            item->setText(TrafficColumn, parts.join(QStringLiteral(" · ")));
            item->setToolTip(TrafficColumn, tr("Last hour: %1 requests, %2 errors, %3 tokens; %4 in flight now")
                                                .arg(requests)
                                                .arg(s.value(QStringLiteral("errors")).toInt())
                                                .arg(qint64(s.value(QStringLiteral("tokens")).toDouble()))
                                                .arg(s.value(QStringLiteral("in_flight")).toInt()));
            item->setForeground(TrafficColumn, s.value(QStringLiteral("errors")).toInt() > 0
                                                   ? QColor(0xb3, 0x26, 0x1e)
                                                   : palette().text().color());
        }
    }
}

void ModelsPane::reloadServices()
{
    m_services->clear();
    for (const ServiceHealth &s : m_core.models().services()) {
        auto *item = new QTreeWidgetItem(m_services);
        item->setText(0, s.name);
        item->setText(1, s.host);
        item->setText(2, s.kind);
        item->setText(3, QString::number(s.port));
        item->setText(4, s.health == Health::Down && !s.detail.isEmpty()
                             ? tr("%1 — %2").arg(healthText(s.health), s.detail)
                             : healthText(s.health));
        item->setForeground(4, healthColour(s.health));
        if (s.latencyMs >= 0) {
            item->setToolTip(4, tr("%1 ms").arg(s.latencyMs));
        }
    }
}

ModelLogDialog *ModelsPane::showLogs(const QString &host, const QString &model)
{
    const QString key = host + QLatin1Char('/') + model;
    QPointer<ModelLogDialog> &window = m_logWindows[key];
    if (!window) {
        window = new ModelLogDialog(m_core, host, model, this);
        window->setAttribute(Qt::WA_DeleteOnClose);
        window->follow();
    } else if (!window->isFollowing()) {
        window->follow();
    }
    window->show();
    window->raise();
    window->activateWindow();
    return window;
}

bool ModelsPane::swapTo(const QString &host, const QString &model)
{
    const std::optional<ModelSpec> spec = m_core.models().spec(model);
    const QStringList hosts = spec && spec->hosts().contains(host) ? spec->hosts() : QStringList{host};
    QString text;
    QString button = tr("Swap");
    bool stopUnit = false;
    const HostServing serving = m_core.models().serving(host);
    if (hosts.size() == 1 && !serving.unitHosts.isEmpty() && serving.swapId.isEmpty()) {
        // Refused alone (it would break the model across hosts): say why, and offer to stop that on all its hosts.
        const QString unitHosts = serving.unitHosts.join(QStringLiteral(" + "));
        text = tr("%1 is part of %2, which runs across %3: serving %4 on %1 alone is refused, since it would break "
                  "%2.\n\nStop %2 on %3 and serve %4 on %1? If %4 does not come up, %2 is started again.")
                   .arg(host, serving.model, unitHosts, model);
        button = tr("Stop and swap");
        stopUnit = true;
    } else {
        QStringList stops;
        for (const QString &h : hosts) {
            const QString up = m_core.models().wouldStop(h);
            if (!up.isEmpty() && !stops.contains(up)) {
                stops << up;
            }
        }
        const QString where = hosts.join(QStringLiteral(" + "));
        text =
            stops.isEmpty()
                ? tr("Serve %1 on %2? Nothing is known to be running there, so nothing is stopped.").arg(model, where)
                : tr("Serve %1 on %2?\n\nThis stops %3 first. If %1 does not come up, %3 is started "
                     "again.")
                      .arg(model, where, stops.join(QStringLiteral(", ")));
    }
    if (!m_confirm(this, tr("Swap model"), text, button)) {
        return false;
    }
    SwapRequest request{host, model, true};
    request.stopUnit = stopUnit;
    return startSwap(request);
}

void ModelsPane::forceSwap(const SwapReport &refused)
{
    const QString where = refused.hosts.size() > 1 ? refused.hosts.join(QStringLiteral(" + ")) : refused.host;
    const QString figures = refused.fit.value(QStringLiteral("message")).toString();
    const QString text = tr("By the fit check, %1 does not fit on %2: %3.\n\nSwap anyway? It may fail to start, or "
                            "push other processes out of memory.")
                             .arg(refused.model, refused.fit.value(QStringLiteral("host")).toString(where), figures);
    if (!m_confirm(this, tr("Swap anyway"), text, tr("Swap anyway"))) {
        return;
    }
    SwapRequest request{refused.host, refused.model, true};
    request.force = true;
    startSwap(request);
}

bool ModelsPane::startSwap(const SwapRequest &request)
{
    const QString host = request.host;
    const auto started = m_core.models().startSwap(request);
    m_core.audit().recordGui(QStringLiteral("POST"), QStringLiteral("/api/dgx/models/swap"),
                             started.ok() ? started->id : host, started.ok() ? Status() : Status(started.error()));
    if (!started.ok()) {
        QMessageBox::warning(this, tr("Swap model"), FormErrors::text(started.error()));
        return false;
    }
    showSwap(started.value());
    reloadServing();
    return true;
}

void ModelsPane::showSwap(const SwapReport &report)
{
    // A swap started elsewhere (the API) is shown too, unless the one shown is still going.
    const SwapReport &shown = m_swap->report();
    if (!shown.id.isEmpty() && shown.id != report.id && !shown.finished()) {
        return;
    }
    m_swap->showReport(report);
    m_swap->show();
}

} // namespace gpudeck
