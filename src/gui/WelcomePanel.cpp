#include "WelcomePanel.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace gpudeck {
namespace {

constexpr int kColumnWidth = 620; // the panel's text reads as one column, not across a wide window

QLabel *quietLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace

WelcomePanel::WelcomePanel(const QString &prefix, QWidget *parent)
    : QWidget(parent)
{
    setObjectName(prefix + QStringLiteral("Welcome"));
    auto *column = new QWidget(this);
    column->setMinimumWidth(kColumnWidth * 2 / 3);
    column->setMaximumWidth(kColumnWidth);
    m_column = column;

    auto *title = new QLabel(tr("Welcome to GPU Deck"), column);
    title->setObjectName(prefix + QStringLiteral("WelcomeTitle"));
    QFont font = title->font();
    font.setPointSizeF(font.pointSizeF() * 1.4);
    font.setBold(true);
    title->setFont(font);
    auto *intro = new QLabel(tr("No hosts yet. Add the machines you work on: each one shows in Fleet with its GPUs, "
                                "what it serves and runs, and what needs attention."),
                             column);
    intro->setObjectName(prefix + QStringLiteral("EmptyHint"));
    intro->setWordWrap(true);

    m_options = new QGridLayout;
    m_options->setHorizontalSpacing(16);
    m_options->setVerticalSpacing(10);
    m_options->setColumnStretch(1, 1);
    QPushButton *add = addOption(prefix + QStringLiteral("AddButton"), tr("Add a host…"),
                                 tr("By its address, user and sign-in (SSH key, password or agent), or this "
                                    "computer itself."));
    QPushButton *import = addOption(prefix + QStringLiteral("ImportButton"), tr("Import from ~/.ssh/config…"),
                                    tr("The hosts you already reach with ssh, with their users, ports and keys. "
                                       "You choose which ones."));
    connect(add, &QPushButton::clicked, this, &WelcomePanel::addRequested);
    connect(import, &QPushButton::clicked, this, &WelcomePanel::importRequested);

    auto *wake = quietLabel(tr("A machine that sleeps? Add it with its MAC address: GPU Deck wakes it over the network "
                               "(Wake-on-LAN) and connects once it answers."),
                            column);
    wake->setObjectName(prefix + QStringLiteral("WakeHint"));

    auto *inner = new QVBoxLayout(column);
    inner->setContentsMargins(0, 0, 0, 0);
    inner->setSpacing(14);
    inner->addWidget(title);
    inner->addWidget(intro);
    inner->addSpacing(4);
    inner->addLayout(m_options);
    inner->addSpacing(4);
    inner->addWidget(wake);

    // Centred between stretches rather than with an alignment: an aligned widget gets its size hint, which does not
    // grow with the wrapped lines, so the buttons were squeezed and the sentences cut.
    auto *row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(column, 4);
    row->addStretch(1);
    auto *outer = new QVBoxLayout(this);
    outer->addStretch(1);
    outer->addLayout(row);
    outer->addStretch(2);
}

QPushButton *WelcomePanel::addOption(const QString &objectName, const QString &buttonText, const QString &description)
{
    auto *button = new QPushButton(buttonText, m_column);
    button->setObjectName(objectName);
    auto *text = quietLabel(description, m_column);
    m_options->addWidget(button, m_rows, 0, Qt::AlignTop);
    m_options->addWidget(text, m_rows, 1, Qt::AlignVCenter);
    ++m_rows;
    return button;
}

} // namespace gpudeck
