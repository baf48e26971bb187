#include "fleet/PodCreateDialog.h"

#include "fleet/PodsModel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

namespace gpudeck {
namespace {

constexpr int kMinVolumeGb = 10; // RunPod's floor for a persistent volume

bool offeredIn(const RunPodGpuType &t, const QString &cloud)
{
    return cloud == QStringLiteral("COMMUNITY") ? t.community : t.secure;
}

int maxCount(const RunPodGpuType &t, const QString &cloud)
{
    return cloud == QStringLiteral("COMMUNITY") ? t.maxCountCommunity : t.maxCountSecure;
}

QString offerText(const RunPodGpuType &o, const QString &cloud)
{
    const QString name = o.name.isEmpty() ? o.id : o.name;
    const QString memory = o.memoryGb > 0 ? PodCreateDialog::tr("%1 GB").arg(o.memoryGb) : QString();
    if (!offeredIn(o, cloud)) {
        return PodCreateDialog::tr("%1 · %2 · not in this cloud").arg(name, memory);
    }
    return PodCreateDialog::tr("%1 · %2 · %3 per GPU").arg(name, memory, PodsModel::rateText(o.hourly(cloud, 1)));
}

} // namespace

PodCreateDialog::PodCreateDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("podCreateDialog"));
    setWindowTitle(tr("Create a RunPod pod"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    // Some styles (Adwaita) keep fields at their size hint: a GPU type with its price would be cut off.
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("podNameEdit"));
    m_name->setPlaceholderText(tr("e.g. train-llm"));
    m_name->setToolTip(tr("Its connection gets this name too."));
    form->addRow(tr("&Name:"), m_name);

    m_cloud = new QComboBox(this);
    m_cloud->setObjectName(QStringLiteral("podCloudCombo"));
    m_cloud->addItem(tr("Secure cloud (RunPod's data centres)"), QStringLiteral("SECURE"));
    m_cloud->addItem(tr("Community cloud (cheaper, community hosts)"), QStringLiteral("COMMUNITY"));
    form->addRow(tr("C&loud:"), m_cloud);

    m_gpu = new QComboBox(this);
    m_gpu->setObjectName(QStringLiteral("podGpuCombo"));
    m_gpu->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_gpu->addItem(tr("Reading RunPod's GPU types…"));
    m_gpu->setEnabled(false);
    form->addRow(tr("&GPU type:"), m_gpu);

    m_count = new QSpinBox(this);
    m_count->setObjectName(QStringLiteral("podCountSpin"));
    m_count->setRange(1, 8);
    form->addRow(tr("GPU &count:"), m_count);

    const QString defaultImage = QString::fromLatin1(RunPodCreate::kDefaultImage);
    m_image = new QLineEdit(defaultImage, this);
    m_image->setObjectName(QStringLiteral("podImageEdit"));
    m_image->setPlaceholderText(defaultImage);
    m_image->setToolTip(tr("The image must start sshd from PUBLIC_KEY (RunPod's official images do) for the pod to "
                           "become a connection."));
    form->addRow(tr("&Image:"), m_image);

    m_disk = new QSpinBox(this);
    m_disk->setObjectName(QStringLiteral("podDiskSpin"));
    m_disk->setRange(1, 4000);
    m_disk->setValue(RunPodCreate::kDefaultDiskGb);
    m_disk->setSuffix(tr(" GB"));
    m_disk->setToolTip(tr("The container disk: wiped when the pod stops or restarts."));
    form->addRow(tr("Container &disk:"), m_disk);

    m_volume = new QSpinBox(this);
    m_volume->setObjectName(QStringLiteral("podVolumeSpin"));
    m_volume->setRange(0, 16000);
    m_volume->setValue(RunPodCreate::kDefaultVolumeGb);
    m_volume->setSuffix(tr(" GB"));
    m_volume->setSpecialValueText(tr("none"));
    m_volume->setToolTip(tr("Mounted at /workspace: kept while the pod is stopped (and billed), deleted when it is "
                            "terminated. At least %1 GB, or none.")
                             .arg(kMinVolumeGb));
    form->addRow(tr("&Volume (/workspace):"), m_volume);

    m_env = new QPlainTextEdit(this);
    m_env->setObjectName(QStringLiteral("podEnvEdit"));
    m_env->setPlaceholderText(tr("One per line: NAME=value"));
    m_env->setTabChangesFocus(true);
    m_env->setFixedHeight(m_env->fontMetrics().lineSpacing() * 4 + 12);
    form->addRow(tr("&Environment:"), m_env);
    layout->addLayout(form);

    m_cost = new QLabel(this);
    m_cost->setObjectName(QStringLiteral("podCostLabel"));
    m_cost->setTextFormat(Qt::PlainText);
    m_cost->setWordWrap(true);
    QFont bold = m_cost->font();
    bold.setBold(true);
    m_cost->setFont(bold);
    layout->addWidget(m_cost);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("podErrorLabel"));
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("QLabel { color: #c0392b; }"));
    m_error->hide();
    layout->addWidget(m_error);

    m_buttons = new QDialogButtonBox(this);
    QPushButton *cancel = m_buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    m_create = m_buttons->addButton(tr("Create"), QDialogButtonBox::AcceptRole);
    m_create->setObjectName(QStringLiteral("createButton"));
    m_create->setAutoDefault(false);
    cancel->setDefault(true); // Enter never rents a GPU
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_create, &QPushButton::clicked, this, &PodCreateDialog::submit);
    layout->addWidget(m_buttons);

    connect(m_cloud, &QComboBox::currentIndexChanged, this, [this] {
        fillGpus();
        update();
    });
    connect(m_gpu, &QComboBox::currentIndexChanged, this, &PodCreateDialog::update);
    connect(m_count, &QSpinBox::valueChanged, this, &PodCreateDialog::update);
    connect(m_name, &QLineEdit::textChanged, this, &PodCreateDialog::update);
    connect(m_volume, &QSpinBox::valueChanged, this, &PodCreateDialog::update);
    connect(m_env, &QPlainTextEdit::textChanged, this, &PodCreateDialog::update);
    update();
    setMinimumWidth(560); // its height: what the style's fields need, worked out when shown
}

PodCreateDialog::~PodCreateDialog() = default;

void PodCreateDialog::setGpuTypes(const QList<RunPodGpuType> &types)
{
    m_offers = types;
    // Cheapest first within a cloud reads like a price list; ties by name.
    std::sort(m_offers.begin(), m_offers.end(), [](const RunPodGpuType &a, const RunPodGpuType &b) {
        return a.priceSecure == b.priceSecure ? a.name < b.name : a.priceSecure < b.priceSecure;
    });
    m_loaded = true;
    fillGpus();
    update();
}

void PodCreateDialog::setGpuTypesFailed(const QString &message)
{
    m_gpu->clear();
    m_gpu->addItem(tr("GPU types could not be read"));
    m_gpu->setEnabled(false);
    m_error->setText(tr("Cannot read RunPod's GPU types: %1").arg(message));
    m_error->show();
    update();
}

void PodCreateDialog::fillGpus()
{
    if (!m_loaded) {
        return;
    }
    const QString cloud = m_cloud->currentData().toString();
    const QString current = m_gpu->currentData().toString();
    const QSignalBlocker block(m_gpu);
    m_gpu->clear();
    int offered = 0;
    for (const RunPodGpuType &o : std::as_const(m_offers)) {
        m_gpu->addItem(offerText(o, cloud), o.id);
        if (!offeredIn(o, cloud)) {
            // Listed, so nobody wonders where it went, but not choosable.
            m_gpu->setItemData(m_gpu->count() - 1, 0, Qt::UserRole - 1);
        } else {
            ++offered;
        }
    }
    m_gpu->setEnabled(offered > 0);
    int index = m_gpu->findData(current);
    if (index < 0 || !offeredIn(m_offers.at(index), cloud)) {
        index = -1;
        for (int i = 0; i < m_offers.size(); ++i) {
            if (offeredIn(m_offers.at(i), cloud)) {
                index = i;
                break;
            }
        }
    }
    m_gpu->setCurrentIndex(index);
}

const RunPodGpuType *PodCreateDialog::offer() const
{
    const QString id = m_gpu->currentData().toString();
    for (const RunPodGpuType &o : m_offers) {
        if (o.id == id) {
            return &o;
        }
    }
    return nullptr;
}

double PodCreateDialog::hourlyCost() const
{
    const RunPodGpuType *o = offer();
    return o ? o->hourly(m_cloud->currentData().toString(), m_count->value()) : 0;
}

QMap<QString, QString> PodCreateDialog::parseEnv(const QString &text, QString *error)
{
    static const QRegularExpression name(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    QMap<QString, QString> env;
    int number = 0;
    for (const QString &raw : text.split(QLatin1Char('\n'))) {
        ++number;
        const QString line = raw.trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#'))) {
            continue;
        }
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        const QString key = eq > 0 ? line.left(eq).trimmed() : QString();
        if (!name.match(key).hasMatch()) {
            if (error && error->isEmpty()) {
                *error = tr("Environment, line %1: write NAME=value (a name of letters, digits and _)").arg(number);
            }
            continue;
        }
        env.insert(key, line.mid(eq + 1));
    }
    return env;
}

RunPodCreate PodCreateDialog::request(QString *error) const
{
    QString problem;
    RunPodCreate r;
    r.name = m_name->text().trimmed();
    r.cloud = m_cloud->currentData().toString();
    const RunPodGpuType *o = offer();
    r.gpuTypeId = o ? o->id : QString();
    r.gpuCount = m_count->value();
    r.image = m_image->text().trimmed();
    r.diskGb = m_disk->value();
    r.volumeGb = m_volume->value();
    r.env = parseEnv(m_env->toPlainText(), &problem);
    if (r.name.isEmpty()) {
        problem = tr("Give the pod a name");
    } else if (!o) {
        problem = m_loaded ? tr("Choose a GPU type") : tr("Waiting for RunPod's GPU types");
    } else if (!offeredIn(*o, r.cloud)) {
        problem = tr("%1 is not offered in this cloud").arg(o->name);
    } else if (r.volumeGb > 0 && r.volumeGb < kMinVolumeGb) {
        problem = tr("A volume is at least %1 GB (or none)").arg(kMinVolumeGb);
    } else if (problem.isEmpty()) {
        // The core's own rules (what the API would refuse), for what the form cannot rule out.
        if (const Status valid = r.validate(); !valid.ok()) {
            problem = valid.error().message;
        }
    }
    if (error) {
        *error = problem;
    }
    return r;
}

void PodCreateDialog::update()
{
    const RunPodGpuType *o = offer();
    const QString cloud = m_cloud->currentData().toString();
    const int max = o ? qMax(1, maxCount(*o, cloud)) : 8;
    if (m_count->maximum() != max) {
        m_count->setMaximum(max);
    }
    QString problem;
    request(&problem);
    const double cost = hourlyCost();
    if (o && offeredIn(*o, cloud)) {
        m_cost->setText(tr("Cost: %1 × %2 = %3 while it runs (GPUs; the volume is billed also while it is stopped).")
                            .arg(m_count->value())
                            .arg(PodsModel::rateText(o->hourly(cloud, 1)), PodsModel::rateText(cost)));
        m_create->setText(m_busy ? tr("Creating…") : tr("Create — %1").arg(PodsModel::rateText(cost)));
    } else {
        m_cost->setText(m_loaded ? tr("Choose a GPU type to see the cost.") : tr("Reading prices…"));
        m_create->setText(m_busy ? tr("Creating…") : tr("Create"));
    }
    m_create->setEnabled(!m_busy && problem.isEmpty());
    m_create->setToolTip(problem);
}

void PodCreateDialog::submit()
{
    QString problem;
    const RunPodCreate r = request(&problem);
    if (!problem.isEmpty() || m_busy) {
        setFailed(problem);
        return;
    }
    m_error->hide();
    setBusy(true);
    Q_EMIT createRequested(r);
}

void PodCreateDialog::setBusy(bool busy)
{
    m_busy = busy;
    for (QWidget *w : {static_cast<QWidget *>(m_name), static_cast<QWidget *>(m_cloud), static_cast<QWidget *>(m_count),
                       static_cast<QWidget *>(m_image), static_cast<QWidget *>(m_disk),
                       static_cast<QWidget *>(m_volume), static_cast<QWidget *>(m_env)}) {
        w->setEnabled(!busy);
    }
    m_gpu->setEnabled(!busy && m_loaded && !m_offers.isEmpty());
    update();
}

void PodCreateDialog::setFailed(const QString &message)
{
    setBusy(false);
    if (message.isEmpty()) {
        m_error->hide();
        return;
    }
    m_error->setText(message);
    m_error->show();
}

} // namespace gpudeck
