import QtQuick
import QtQuick.Controls
import Rewind.Core
import QtQuick.Layouts

// One service in the overview: health, versions, firings, freeze.
ItemDelegate {
    id: card
    required property string name
    required property string environment
    required property string kind
    required property string health
    required property string currentVersion
    required property string currentState
    required property string lastGoodVersion
    required property int firingCount
    required property string firingSummary
    required property bool frozen
    required property var frozenUntil
    property bool current: false
    signal activated()
    padding: 14
    onClicked: activated()
    Accessible.name: qsTr("%1, %2").arg(card.name).arg(healthBadge.text)

    background: Rectangle {
        radius: 8
        color: card.palette.base
        border.color: card.current ? card.palette.highlight
                    : card.health === "failing" ? "#e57373" : card.palette.mid
        border.width: card.current || card.health === "failing" ? 2 : 1
    }

    contentItem: ColumnLayout {
        spacing: 4
        RowLayout {
            Layout.fillWidth: true
            Label {
                text: card.name
                font.pixelSize: 18
                font.bold: true
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            HealthBadge { id: healthBadge; health: card.health }
        }
        Label {
            text: card.kind + " · " + card.environment
            opacity: 0.65
        }
        GridLayout {
            columns: 2
            columnSpacing: 14
            rowSpacing: 2
            Label { text: qsTr("Current"); opacity: 0.65 }
            Label {
                text: card.currentVersion === "" ? qsTr("none recorded")
                                                 : card.currentVersion + "  (" + card.currentState.replace("_", " ") + ")"
                font.bold: true
            }
            Label { text: qsTr("Last good"); opacity: 0.65 }
            Label { text: card.lastGoodVersion === "" ? qsTr("none yet") : card.lastGoodVersion }
        }
        Label {
            visible: card.firingCount > 0
            Layout.fillWidth: true
            elide: Text.ElideRight
            color: "#c62828"
            text: qsTr("Firing: %1").arg(card.firingSummary)
        }
        Label {
            visible: card.frozen
            Layout.fillWidth: true
            elide: Text.ElideRight
            color: "#0277bd"
            text: qsTr("Deployments frozen until %1").arg(Qt.formatDateTime(card.frozenUntil, "HH:mm"))
        }
        Item { Layout.fillHeight: true }
    }
}
