import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rewind.Core

// One service: what runs, what fires, and live charts of its metrics with the rules'
// thresholds as lines and deploys and rollbacks as markers, over a chosen time range.
Page {
    id: root
    objectName: "servicePage"
    required property string service
    signal back()
    signal requestRollback(string name)
    padding: 16

    // Re-read when the service changes on the server.
    property int revision: 0
    readonly property var info: { root.revision; return Dashboard.services.get(root.service) }
    Connections {
        target: Dashboard.services
        function onDataChanged() { root.revision++ }
        function onModelReset() { root.revision++ }
    }

    header: Pane {
        padding: 16
        bottomPadding: 4
        ColumnLayout {
            width: parent.width
            spacing: 6
            RowLayout {
                Layout.fillWidth: true
                spacing: 12
                Button {
                    text: qsTr("Back")
                    flat: true
                    onClicked: root.back()
                }
                Label {
                    text: root.service
                    font.pixelSize: 22
                    font.bold: true
                }
                HealthBadge { health: root.info.health ?? "unknown" }
                Item { Layout.fillWidth: true }
                Repeater {
                    model: [{minutes: 1, text: qsTr("1 min")}, {minutes: 5, text: qsTr("5 min")}, {minutes: 15, text: qsTr("15 min")},
                            {minutes: 60, text: qsTr("1 h")}, {minutes: 360, text: qsTr("6 h")}]
                    delegate: Button {
                        required property var modelData
                        text: modelData.text
                        flat: Dashboard.metrics.rangeMinutes !== modelData.minutes
                        highlighted: Dashboard.metrics.rangeMinutes === modelData.minutes
                        onClicked: Dashboard.metrics.rangeMinutes = modelData.minutes
                    }
                }
                Button {
                    objectName: "requestRollbackButton"
                    text: qsTr("Request rollback…")
                    enabled: Dashboard.session.may("operate", root.info.environment ?? "")
                    onClicked: root.requestRollback(root.service)
                    ToolTip.visible: hovered && !enabled
                    ToolTip.text: qsTr("Needs the operator role in %1").arg(root.info.environment ?? "")
                }
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                opacity: 0.75
                text: qsTr("%1 · %2 · strategy %3 · current %4 · last good %5")
                      .arg(root.info.kind ?? "").arg(root.info.environment ?? "")
                      .arg(root.info.strategy || qsTr("none"))
                      .arg(root.info.currentVersion || qsTr("none recorded"))
                      .arg(root.info.lastGoodVersion || qsTr("none yet"))
            }
            Label {
                objectName: "verificationLabel"
                Layout.fillWidth: true
                visible: text !== ""
                wrapMode: Text.Wrap
                color: (root.info.verificationState ?? "") === "over_budget"
                       || (root.info.verificationState ?? "") === "rule_fired" ? "#c62828" : palette.text
                text: root.info.verification ?? ""
            }
            Label {
                Layout.fillWidth: true
                visible: text !== ""
                wrapMode: Text.Wrap
                color: "#ef6c00"
                text: root.info.checkErrors ?? ""
            }
            Repeater {
                model: root.info.firings ?? []
                delegate: Label {
                    required property var modelData
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    color: "#c62828"
                    text: qsTr("Firing since %1: %2 (%3) — %4")
                          .arg(Qt.formatDateTime(modelData.since, "HH:mm:ss"))
                          .arg(modelData.rule).arg(modelData.severity).arg(modelData.values)
                }
            }
            Label {
                visible: root.info.frozen ?? false
                color: "#0277bd"
                text: !visible ? "" : qsTr("Deployments frozen until %1: %2")
                      .arg(Qt.formatDateTime(root.info.frozenUntil, "yyyy-MM-dd HH:mm"))
                      .arg(root.info.freezeReason ?? "")
            }
        }
    }

    ScrollView {
        id: scroll
        anchors.fill: parent
        contentWidth: availableWidth
        clip: true

        GridLayout {
            width: scroll.availableWidth
            columns: width > 1000 ? 2 : 1
            columnSpacing: 12
            rowSpacing: 12

            Repeater {
                id: charts
                model: Dashboard.metrics
                delegate: MetricChart {
                    Layout.fillWidth: true
                    Layout.preferredHeight: 260
                    metrics: Dashboard.metrics
                }
            }
        }
        Label {
            anchors.centerIn: parent
            visible: charts.count === 0
            opacity: 0.6
            text: Dashboard.metrics.loading ? qsTr("Loading metrics…")
                  : Dashboard.metrics.errorString !== "" ? Dashboard.metrics.errorString
                  : qsTr("No metrics recorded yet")
        }
    }
}
