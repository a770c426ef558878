import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rewind.Core

// Rollbacks, newest first, with each step's state and duration, updated live.
ListView {
    id: root
    objectName: "rollbackList"
    clip: true
    spacing: 8
    boundsBehavior: Flickable.StopAtBounds

    delegate: Frame {
        id: card
        required property var rollbackId
        required property string state
        required property string trigger
        required property string reason
        required property string summary
        required property var createdAt
        required property var durationMs
        required property var steps
        required property bool finished
        required property string requestedBy
        required property string message
        required property var environments
        objectName: "rollback-" + rollbackId
        width: ListView.view.width
        padding: 12

        background: Rectangle {
            radius: 6
            color: palette.base
            border.color: palette.mid
        }

        ColumnLayout {
            anchors.left: parent.left
            anchors.right: parent.right
            spacing: 6

            RowLayout {
                Layout.fillWidth: true
                Label {
                    text: qsTr("Rollback #%1").arg(card.rollbackId)
                    font.pixelSize: 16
                    font.bold: true
                }
                StateBadge { state: card.state }
                Item { Layout.fillWidth: true }
                Label {
                    text: Qt.formatDateTime(card.createdAt, "yyyy-MM-dd HH:mm:ss")
                    color: palette.placeholderText
                }
                Button {
                    objectName: "abortButton"
                    visible: !card.finished
                    text: qsTr("Abort")
                    enabled: Dashboard.session.mayInAll("operate", card.environments) && !Dashboard.commands.busy
                    onClicked: Dashboard.commands.abort(card.rollbackId, qsTr("aborted from the dashboard"))
                }
            }
            Label { text: card.summary; font.bold: true }
            Label {
                visible: card.message !== ""
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                text: card.message
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                text: card.reason
                color: palette.placeholderText
            }
            Repeater {
                model: card.steps
                delegate: RowLayout {
                    id: stepRow
                    required property var modelData
                    Layout.fillWidth: true
                    spacing: 8
                    Label {
                        text: {
                            switch (stepRow.modelData.state) {
                            case "succeeded": return "✔"
                            case "failed": return "✖"
                            case "running": return "▶"
                            case "skipped": return "–"
                            default: return "○"
                            }
                        }
                        color: stepRow.modelData.state === "failed" ? "#c62828"
                             : stepRow.modelData.state === "succeeded" ? "#2e7d32" : palette.text
                    }
                    Label {
                        Layout.fillWidth: true
                        elide: Text.ElideRight
                        text: stepRow.modelData.description
                    }
                    Label {
                        visible: stepRow.modelData.durationMs > 0
                        text: qsTr("%1 ms").arg(stepRow.modelData.durationMs)
                        color: palette.placeholderText
                    }
                }
            }
            Label {
                visible: card.durationMs > 0
                text: qsTr("Took %1 s").arg((card.durationMs / 1000).toFixed(1))
                color: palette.placeholderText
            }
        }
    }

    Label {
        anchors.centerIn: parent
        visible: root.count === 0
        text: qsTr("No rollbacks")
        color: palette.placeholderText
    }
}
