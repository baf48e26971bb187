#pragma once

#include <QWidget>

class QGridLayout;
class QLabel;
class QPushButton;

namespace gpudeck {

// What an empty Fleet or Connections pane shows on a first start: a welcome, and the ways to get a first host
// (add one, import ~/.ssh/config; a pane may add its own, like renting a pod), each a button with a sentence,
// and how waking a sleeping machine works. Object names start with the pane's prefix: <prefix>EmptyHint (the
// intro), <prefix>AddButton, <prefix>ImportButton.
class WelcomePanel : public QWidget
{
    Q_OBJECT
public:
    explicit WelcomePanel(const QString &prefix, QWidget *parent = nullptr);

    // One more way, below the standard ones.
    QPushButton *addOption(const QString &objectName, const QString &buttonText, const QString &description);

Q_SIGNALS:
    void addRequested();
    void importRequested();

private:
    QWidget *m_column = nullptr;
    QGridLayout *m_options = nullptr;
    int m_rows = 0;
};

} // namespace gpudeck
