import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Shapes
import QtCharts
import Rewind.Core

// One series of a service as a line chart (Qt Charts), with its rules' thresholds drawn as
// dashed lines and the service's deploys and rollbacks as vertical markers.
Frame {
    id: root
    required property int index
    required property string label
    required property string unit
    required property string lastValue
    required property double minValue
    required property double maxValue
    required property var thresholds
    required property var metrics
    padding: 4

    // Seconds are charted in milliseconds, ratios in percent.
    readonly property double scale: unit === "seconds" ? 1000 : unit === "ratio" ? 100 : 1
    readonly property string axisUnit: unit === "seconds" ? qsTr("ms") : unit === "ratio" ? "%"
                                     : unit === "per_second" ? qsTr("/s") : ""
    readonly property bool dark: Dashboard.dark
    // Bumped whenever the plot moves, so that the overlays follow.
    property int revision: 0

    ChartView {
        id: chart
        anchors.fill: parent
        title: root.lastValue === "" ? root.label : qsTr("%1 — now %2").arg(root.label).arg(root.lastValue)
        antialiasing: true
        legend.visible: false
        theme: root.dark ? ChartView.ChartThemeDark : ChartView.ChartThemeLight
        backgroundRoundness: 4
        margins { top: 4; bottom: 4; left: 4; right: 4 }
        onPlotAreaChanged: root.revision++

        DateTimeAxis {
            id: timeAxis
            min: new Date(root.metrics.fromMs)
            max: new Date(root.metrics.toMs)
            format: root.metrics.rangeMinutes > 120 ? "HH:mm" : "HH:mm:ss"
            tickCount: 6
            labelsFont.pixelSize: 10
            onMinChanged: root.revision++
        }
        ValueAxis {
            id: valueAxis
            min: Math.min(0, root.minValue * root.scale)
            max: Math.max(root.maxValue * root.scale * 1.15, root.unit === "ratio" ? 1 : 0.001)
            labelFormat: "%.4g"
            titleText: root.axisUnit
            labelsFont.pixelSize: 10
            onMaxChanged: root.revision++
        }
        LineSeries {
            id: line
            axisX: timeAxis
            axisY: valueAxis
            width: 2
            color: "#3949ab"
            useOpenGL: false
        }
    }

    SeriesFeeder {
        metrics: root.metrics
        row: root.index
        series: line
        scale: root.scale
    }

    // Thresholds: a dashed line at the value a rule compares with, labelled with the rule.
    Repeater {
        model: root.thresholds
        delegate: Item {
            id: threshold
            required property var modelData
            readonly property real py: { root.revision; return chart.mapToPosition(Qt.point(root.metrics.fromMs, modelData.value * root.scale), line).y }
            readonly property color colour: modelData.severity === "critical" ? "#c62828" : "#ef8f00"
            x: chart.plotArea.x
            y: py
            width: chart.plotArea.width
            visible: py >= chart.plotArea.y && py <= chart.plotArea.y + chart.plotArea.height
            Shape {
                ShapePath {
                    strokeColor: threshold.colour
                    strokeWidth: 1.5
                    strokeStyle: ShapePath.DashLine
                    dashPattern: [4, 3]
                    startX: 0; startY: 0
                    PathLine { x: threshold.width; y: 0 }
                }
            }
            Label {
                anchors.right: parent.right
                anchors.bottom: parent.top
                text: threshold.modelData.text
                font.pixelSize: 10
                color: threshold.colour
            }
        }
    }

    // Deploys and rollbacks: a vertical line at the moment, labelled at the top.
    Repeater {
        model: root.metrics.markers
        delegate: Item {
            id: marker
            required property var modelData
            required property int index
            readonly property color colour: modelData.kind === "deploy" ? "#6a1b9a" : modelData.kind === "rollback_started" ? "#c62828" : "#2e7d32"
            readonly property real px: { root.revision; return chart.mapToPosition(Qt.point(modelData.time, 0), line).x }
            x: px
            y: chart.plotArea.y
            width: 1
            height: chart.plotArea.height
            visible: px >= chart.plotArea.x && px <= chart.plotArea.x + chart.plotArea.width
            Rectangle {
                anchors.fill: parent
                color: marker.colour
            }
            Label {
                x: 3
                // Staggered, so that labels of moments close together do not overlap.
                y: (marker.index % 3) * 12
                text: marker.modelData.label
                font.pixelSize: 10
                color: marker.colour
            }
        }
    }

    Connections {
        target: root.metrics
        function onPointsChanged() { root.revision++ }
    }
}
