// Renders the hicolor PNG icons at build time: `gpudeck_render_icons OUT_DIR NAME SIZE...` writes
// OUT_DIR/<size>x<size>/apps/NAME.png for each size, painted by AppIcon (the design of resources/icons/gpudeck.svg,
// which is installed as the scalable icon beside them). Qt's SVG module is not a GPU Deck dependency; the painter is
// the one the window and the tray use, so every size matches what GPU Deck shows.
#include "AppIcon.h"

#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QPixmap>
#include <cstdio>

int main(int argc, char **argv)
{
    if (argc < 4) {
        std::fprintf(stderr, "usage: gpudeck_render_icons OUT_DIR NAME SIZE...\n");
        return 2;
    }
    // No display is needed or wanted at build time.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const QString outDir = QString::fromLocal8Bit(argv[1]);
    const QString name = QString::fromLocal8Bit(argv[2]);
    const QIcon icon = gpudeck::AppIcon::make();
    for (int i = 3; i < argc; ++i) {
        bool ok = false;
        const int size = QByteArray(argv[i]).toInt(&ok);
        if (!ok || size <= 0) {
            std::fprintf(stderr, "gpudeck_render_icons: not a size: %s\n", argv[i]);
            return 2;
        }
        const QString dir = QStringLiteral("%1/%2x%2/apps").arg(outDir).arg(size);
        if (!QDir().mkpath(dir)) {
            std::fprintf(stderr, "gpudeck_render_icons: cannot create %s\n", qPrintable(dir));
            return 1;
        }
        QImage image = icon.pixmap(QSize(size, size)).toImage().convertToFormat(QImage::Format_ARGB32);
        if (image.size() != QSize(size, size)) {
            // A size AppIcon does not paint itself: scale its largest, smoothly.
            image = icon.pixmap(QSize(256, 256))
                        .toImage()
                        .scaled(size, size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                        .convertToFormat(QImage::Format_ARGB32);
        }
        const QString path = QStringLiteral("%1/%2.png").arg(dir, name);
        if (!image.save(path, "PNG")) {
            std::fprintf(stderr, "gpudeck_render_icons: cannot write %s\n", qPrintable(path));
            return 1;
        }
    }
    return 0;
}
