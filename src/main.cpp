// Parses the command line and wires the core to the window or to headless mode. Nothing else.
#include "MainWindow.h"
#include "app/Core.h"
#include "app/UnixSignals.h"
#include "i18n/Language.h"
#include "logging/Logging.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <cstdio>
#include <cstring>
#include <memory>

namespace {

struct Options
{
    bool headless = false;
    bool minimized = false;
    QString dataDir;
    quint16 port = 3939;
};

// Returns -1 to continue, or the exit code for --help, --version and bad arguments.
int parseOptions(const QCoreApplication &app, Options &options)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("GPU Deck: a command center for your GPU machines."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption headless(QStringLiteral("headless"),
                                      QStringLiteral("Run the core and the API without a window."));
    const QCommandLineOption dataDir(QStringLiteral("data-dir"),
                                     QStringLiteral("Keep database, config and token under <dir>."),
                                     QStringLiteral("dir"));
    const QCommandLineOption port(QStringLiteral("port"),
                                  QStringLiteral("Listen on 127.0.0.1:<port> (default 3939; 0 picks a free port)."),
                                  QStringLiteral("port"), QStringLiteral("3939"));
    const QCommandLineOption logLevel(QStringLiteral("log-level"),
                                      QStringLiteral("debug, info, warning or critical (default info)."),
                                      QStringLiteral("level"), QStringLiteral("info"));
    const QCommandLineOption minimized(
        QStringLiteral("minimized"),
        QStringLiteral("Start with the window hidden in the tray (minimised when there is no tray)."));
    parser.addOptions({headless, dataDir, port, logLevel, minimized});
    if (!parser.parse(app.arguments())) {
        std::fprintf(stderr, "gpudeck: %s\nTry 'gpudeck --help'.\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        std::printf("gpudeck %s\n", GPUDECK_VERSION);
        return 0;
    }
    bool ok = false;
    const uint p = parser.value(port).toUInt(&ok);
    if (!ok || p > 65535) {
        std::fprintf(stderr, "gpudeck: --port must be a number from 0 to 65535\n");
        return 2;
    }
    if (!gpudeck::LogLevel::set(parser.value(logLevel))) {
        std::fprintf(stderr, "gpudeck: --log-level must be debug, info, warning or critical\n");
        return 2;
    }
    options.headless = parser.isSet(headless);
    options.minimized = parser.isSet(minimized);
    options.dataDir = parser.value(dataDir);
    options.port = static_cast<quint16>(p);
    return -1;
}

bool wantsHeadless(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--headless") == 0 || std::strcmp(argv[i], "--help") == 0 ||
            std::strcmp(argv[i], "-h") == 0 || std::strcmp(argv[i], "--version") == 0 ||
            std::strcmp(argv[i], "-v") == 0) {
            return true;
        }
    }
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    // Headless needs no display at all, so it must not construct a QApplication.
    std::unique_ptr<QCoreApplication> app;
    if (wantsHeadless(argc, argv)) {
        app = std::make_unique<QCoreApplication>(argc, argv);
    } else {
        app = std::make_unique<QApplication>(argc, argv);
        // The .desktop file's id: Wayland compositors and docks match the window to its menu entry and icon by it.
        QGuiApplication::setDesktopFileName(QStringLiteral(GPUDECK_DESKTOP_ID));
    }
    QCoreApplication::setOrganizationName(QStringLiteral("gpudeck"));
    QCoreApplication::setApplicationName(QStringLiteral("gpudeck"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GPUDECK_VERSION));

    Options options;
    if (const int code = parseOptions(*app, options); code >= 0) {
        return code;
    }

    if (!options.headless) {
        // Before any widget exists: every tr() the window makes reads the installed translators. The language
        // actually loaded is logged (the package test reads it from the installed binary).
        const QString language = gpudeck::i18n::install(*app, gpudeck::i18n::storedLanguage());
        qCInfo(lcApp).noquote() << "window language:" << language;
    }

    gpudeck::Core core{gpudeck::AppPaths(options.dataDir)};
    if (gpudeck::Status s = core.open(); !s.ok()) {
        qCCritical(lcApp).noquote() << "cannot start:" << s.error().message;
        return 1;
    }
    // Before the API announces its port: a SIGTERM sent as soon as the port is known must shut down cleanly.
    gpudeck::UnixSignals unixSignals;
    QObject::connect(&unixSignals, &gpudeck::UnixSignals::terminationRequested, app.get(), [](int number) {
        qCInfo(lcApp) << "signal" << number << "received, shutting down";
        QCoreApplication::quit();
    });

    if (auto port = core.startApi(options.port); !port.ok()) {
        qCCritical(lcApp).noquote() << "cannot start the API:" << port.error().message
                                    << "(is another GPU Deck running? choose another port with --port)";
        return 1;
    }

    core.startMonitoring();
    core.startJobSupervision();

    std::unique_ptr<gpudeck::MainWindow> window;
    if (!options.headless) {
        window = std::make_unique<gpudeck::MainWindow>(core);
        window->showOnStart(options.minimized);
    } else {
        qCInfo(lcApp) << "running headless";
    }
    const int code = app->exec();
    window.reset();
    core.stopApi();
    return code;
}
