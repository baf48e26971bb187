// The translations are complete and up to date: lupdate, run over the GUI's sources exactly as
// `cmake --build build --target update_translations` runs it, into a copy of translations/gpudeck_de.ts (and of
// gpudeck_en.ts, the English plural forms), finds nothing unfinished, nothing vanished and nothing to change; every
// translation keeps its source's %1…/%n placeholders and its & accelerator.
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

namespace {

struct Message
{
    QString context;
    QString source;
    QString type; // "", "unfinished", "vanished" or "obsolete"
    bool numerus = false;
    QStringList forms;
};

QList<Message> readTs(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return {};
    }
    QList<Message> messages;
    QXmlStreamReader xml(&file);
    QString context;
    Message current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) {
            continue;
        }
        const auto name = xml.name();
        if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            current =
                Message{context, {}, {}, xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes"), {}};
        } else if (name == QLatin1String("source")) {
            current.source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            current.type = xml.attributes().value(QLatin1String("type")).toString();
            if (!current.numerus) {
                current.forms << xml.readElementText();
                messages << current;
            } else {
                while (xml.readNextStartElement()) {
                    current.forms << xml.readElementText();
                }
                messages << current;
            }
        }
    }
    if (xml.hasError()) {
        *error = xml.errorString();
    }
    return messages;
}

QString describe(const Message &m)
{
    return QStringLiteral("%1: \"%2\"").arg(m.context, m.source);
}

QSet<QString> placeholders(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("%(\\d+|n)"));
    QSet<QString> found;
    for (auto it = re.globalMatch(text); it.hasNext();) {
        found.insert(it.next().captured());
    }
    return found;
}

// The number of & accelerators (an escaped && is a literal ampersand).
int accelerators(QString text)
{
    text.remove(QStringLiteral("&&"));
    return int(text.count(QLatin1Char('&')));
}

} // namespace

struct TsFile
{
    QString committedPath;
    QString updatedPath;
    QList<Message> committed;
    QList<Message> fresh;
};

class TestTranslations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void everySourceStringIsTranslated_data();
    void everySourceStringIsTranslated();
    void noStaleEntries_data();
    void noStaleEntries();
    void fileIsWhatUpdateTranslationsWrites_data();
    void fileIsWhatUpdateTranslationsWrites();
    void placeholdersKept_data();
    void placeholdersKept();
    void acceleratorsKept_data();
    void acceleratorsKept();

private:
    void files();
    const TsFile &file();
    void update(const QString &json, const QString &name, const QString &committed, const QStringList &options);

    QTemporaryDir m_dir;
    QMap<QString, TsFile> m_files;
};

void TestTranslations::update(const QString &json, const QString &name, const QString &committed,
                              const QStringList &options)
{
    TsFile ts;
    ts.committedPath = committed;
    ts.updatedPath = m_dir.filePath(QFileInfo(committed).fileName());
    QVERIFY(QFile::copy(committed, ts.updatedPath));
    QFile::setPermissions(ts.updatedPath, QFile::ReadOwner | QFile::WriteOwner);
    // The options of update_translations, except -no-obsolete: here a vanished entry must show, not disappear.
    QProcess lupdate;
    lupdate.start(QStringLiteral(GPUDECK_LUPDATE),
                  QStringList{QStringLiteral("-project"), json, QStringLiteral("-ts"), ts.updatedPath,
                              QStringLiteral("-locations"), QStringLiteral("none")} +
                      options);
    QVERIFY(lupdate.waitForFinished(120000));
    QVERIFY2(lupdate.exitCode() == 0, lupdate.readAllStandardError().constData());
    QString error;
    ts.committed = readTs(committed, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    ts.fresh = readTs(ts.updatedPath, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(!ts.committed.isEmpty());
    m_files.insert(name, ts);
}

void TestTranslations::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // The project file CMake writes for qt_add_lupdate (sources and include paths of gpudeck_gui), turned into
    // lupdate's JSON the way the update_translations target does it.
    const QString json = m_dir.filePath(QStringLiteral("project.json"));
    QProcess cmake;
    cmake.start(QStringLiteral(GPUDECK_CMAKE),
                {QStringLiteral("-DIN_FILE=" GPUDECK_LUPDATE_PROJECT), QStringLiteral("-DOUT_FILE=") + json,
                 QStringLiteral("-P"), QStringLiteral(GPUDECK_LUPDATE_PROJECT_SCRIPT)});
    QVERIFY(cmake.waitForFinished(60000));
    QVERIFY2(cmake.exitCode() == 0, cmake.readAllStandardError().constData());

    update(json, QStringLiteral("de"), QStringLiteral(GPUDECK_TS_DIR "/gpudeck_de.ts"), {});
    update(json, QStringLiteral("en"), QStringLiteral(GPUDECK_TS_DIR "/gpudeck_en.ts"),
           {QStringLiteral("-pluralonly")});
    QVERIFY(m_files.value(QStringLiteral("de")).committed.size() > 100);
}

void TestTranslations::files()
{
    QTest::addColumn<QString>("language");
    for (auto it = m_files.cbegin(); it != m_files.cend(); ++it) {
        QTest::newRow(qPrintable(it.key())) << it.key();
    }
}

const TsFile &TestTranslations::file()
{
    QFETCH(QString, language);
    return m_files.find(language).value();
}

void TestTranslations::everySourceStringIsTranslated_data()
{
    files();
}

void TestTranslations::everySourceStringIsTranslated()
{
    const TsFile &ts = file();
    QStringList missing;
    for (const Message &m : ts.fresh) {
        bool empty = m.forms.isEmpty();
        for (const QString &form : m.forms) {
            empty = empty || form.isEmpty();
        }
        if (m.type == QLatin1String("unfinished") || (m.type.isEmpty() && empty)) {
            missing << describe(m);
        }
    }
    QVERIFY2(missing.isEmpty(),
             qPrintable(QStringLiteral("%1 GUI string(s) have no translation in %2. Run `cmake --build build --target "
                                       "update_translations` and translate them (docs/translations.md):\n  %3")
                            .arg(missing.size())
                            .arg(ts.committedPath, missing.join(QStringLiteral("\n  ")))));
}

void TestTranslations::noStaleEntries_data()
{
    files();
}

void TestTranslations::noStaleEntries()
{
    const TsFile &ts = file();
    QStringList stale;
    for (const Message &m : ts.fresh) {
        if (m.type == QLatin1String("vanished") || m.type == QLatin1String("obsolete")) {
            stale << describe(m);
        }
    }
    QVERIFY2(stale.isEmpty(), qPrintable(QStringLiteral("%1 has entries no source uses any more; "
                                                        "`cmake --build build --target update_translations` drops "
                                                        "them:\n  %2")
                                             .arg(ts.committedPath, stale.join(QStringLiteral("\n  ")))));
}

void TestTranslations::fileIsWhatUpdateTranslationsWrites_data()
{
    files();
}

void TestTranslations::fileIsWhatUpdateTranslationsWrites()
{
    const TsFile &ts = file();
    QFile committed(ts.committedPath);
    QFile updated(ts.updatedPath);
    QVERIFY(committed.open(QIODevice::ReadOnly));
    QVERIFY(updated.open(QIODevice::ReadOnly));
    QVERIFY2(committed.readAll() == updated.readAll(),
             qPrintable(QStringLiteral("%1 is not what `cmake --build build --target update_translations` writes (a "
                                       "source string changed, or the file was edited into another shape): run it "
                                       "and commit")
                            .arg(ts.committedPath)));
}

void TestTranslations::placeholdersKept_data()
{
    files();
}

void TestTranslations::placeholdersKept()
{
    QStringList lost;
    for (const Message &m : file().committed) {
        const QSet<QString> expected = placeholders(m.source);
        for (int i = 0; i < m.forms.size(); ++i) {
            QSet<QString> found = placeholders(m.forms.at(i));
            // A singular form may say "one" in words instead of %n ("Die Verbindung schließen?"); the plural may not.
            const bool singularForm = m.numerus && i + 1 < m.forms.size();
            if (singularForm && expected.contains(QStringLiteral("%n"))) {
                found.insert(QStringLiteral("%n"));
            }
            if (found != expected) {
                lost << QStringLiteral("%1 -> \"%2\"").arg(describe(m), m.forms.at(i));
            }
        }
    }
    QVERIFY2(lost.isEmpty(),
             qPrintable(QStringLiteral("Translations whose %1/%n placeholders differ from the source:\n  ")
                            .append(lost.join(QStringLiteral("\n  ")))));
}

void TestTranslations::acceleratorsKept_data()
{
    files();
}

void TestTranslations::acceleratorsKept()
{
    QStringList wrong;
    for (const Message &m : file().committed) {
        for (const QString &form : m.forms) {
            if (accelerators(form) != accelerators(m.source)) {
                wrong << QStringLiteral("%1 -> \"%2\"").arg(describe(m), form);
            }
        }
    }
    QVERIFY2(wrong.isEmpty(),
             qPrintable(QStringLiteral("Translations that lose (or add) the source's & accelerator:\n  ")
                            .append(wrong.join(QStringLiteral("\n  ")))));
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
