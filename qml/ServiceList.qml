import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// Every service with its health, current and last good release, and active rule firings.
ListView {
    id: root
    objectName: "serviceList"
    clip: true
    spacing: 8
    boundsBehavior: Flickable.StopAtBounds

    delegate: Frame {
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
        width: ListView.view.width
        padding: 12

        background: Rectangle {
            radius: 6
            color: palette.base
            border.color: card.health === "failing" ? "#e57373" : palette.mid
            border.width: card.health === "failing" ? 2 : 1
        }

        ColumnLayout {
            anchors.left: parent.left
            anchors.right: parent.right
            spacing: 4

            RowLayout {
                Layout.fillWidth: true
                Label {
                    text: card.name
                    font.pixelSize: 18
                    font.bold: true
                }
                Label {
                    text: card.kind + " · " + card.environment
                    color: palette.placeholderText
                }
                Item { Layout.fillWidth: true }
                HealthBadge { health: card.health }
            }
            GridLayout {
                columns: 2
                columnSpacing: 16
                rowSpacing: 2
                Label { text: qsTr("Current"); color: palette.placeholderText }
                Label {
                    text: card.currentVersion === "" ? qsTr("none recorded")
                                                     : card.currentVersion + "  (" + card.currentState.replace("_", " ") + ")"
                    font.bold: true
                }
                Label { text: qsTr("Last good"); color: palette.placeholderText }
                Label { text: card.lastGoodVersion === "" ? qsTr("none yet") : card.lastGoodVersion }
            }
            Label {
                visible: card.firingCount > 0
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                color: "#c62828"
                text: qsTr("Firing: %1").arg(card.firingSummary)
            }
        }
    }

    Label {
        anchors.centerIn: parent
        visible: root.count === 0
        text: qsTr("No services yet")
        color: palette.placeholderText
    }
}
