#pragma once

// What the end-to-end tests check of the pictures and documents they produce.

#include "results.h"

#include <QImage>
#include <QProcess>
#include <QSet>
#include <QString>

namespace rwd::testing {

// A picture of a real window or page has many colours (antialiased text, charts); a blank or
// failed render has one or two. Every `step`-th pixel of every `step`-th row is counted.
inline int distinctColours(const QImage &image, int step = 4)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += step) {
        for (int x = 0; x < image.width(); x += step)
            colours.insert(image.pixel(x, y));
    }
    return int(colours.size());
}

// The text of the PDF at `path` as pdftotext lays it out; fails when pdftotext cannot read it.
inline Result<QString> pdfLayoutText(const QString &path)
{
    QProcess text;
    text.start(QStringLiteral("pdftotext"), {QStringLiteral("-layout"), path, QStringLiteral("-")});
    if (!text.waitForFinished(60'000) || text.exitStatus() != QProcess::NormalExit ||
        text.exitCode() != 0)
        return failure(QStringLiteral("pdftotext %1: %2")
                           .arg(path, QString::fromLocal8Bit(text.readAllStandardError())));
    return QString::fromUtf8(text.readAllStandardOutput());
}

} // namespace rwd::testing
