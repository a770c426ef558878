#pragma once

#include "reportdata.h"

#include <QByteArray>
#include <QLocale>
#include <QString>

class QIODevice;

// The incident report as PDF, drawn with Qt's own PDF writer (QPdfWriter + QPainter): A4, a
// header and a numbered footer on every page, the summary, the timeline, the firings with their
// values, each rollback with its targets, steps and approvals, charts of the metrics around the
// incident, the preserved-log excerpts, the notes and the people involved. Tables break across
// pages with their header repeated; text wraps, right to left where the language is.
//
// The same code runs in the dashboard (desktop and browser) and in rewindd (format=pdf, which is
// what rewindctl downloads); it is the library rewind_report, on Qt Core and Gui only. It
// needs a QGuiApplication (fonts come from the platform's font database: fontconfig on Linux,
// where DejaVu is used) and writes only to the device it is given: no files, no threads, no
// blocking calls. Every text goes through QCoreApplication::translate("IncidentReport", …).
namespace rwd::client {

struct ReportOptions
{
    // Qt::LayoutDirectionAuto: the application's (right to left under an Arabic translation).
    Qt::LayoutDirection direction = Qt::LayoutDirectionAuto;
    QString fontFamily = QStringLiteral("DejaVu Sans");
    QString monospaceFamily = QStringLiteral("DejaVu Sans Mono");
    int resolution = 300; // dots per inch of the PDF's coordinate system
    // Shown in the footer: who or what produced the file ("rewindd", "Rewind dashboard").
    QString producer = QStringLiteral("Rewind");
};

// Whether reports can be drawn in this process: a QGuiApplication exists.
[[nodiscard]] bool canRenderReports();

// Writes the PDF to `out` (opened for writing by the caller, or opened here when it is not
// open). Fails when no QGuiApplication exists or writing failed.
[[nodiscard]] Result<void> writeIncidentReport(const ReportData &data, QIODevice *out,
                                               const ReportOptions &options = {});
// The PDF's bytes.
[[nodiscard]] Result<QByteArray> incidentReportPdf(const ReportData &data,
                                                   const ReportOptions &options = {});

} // namespace rwd::client
