import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rewind.Core

// In-app notifications: approval requests and decisions, rollback outcomes; newest first.
Drawer {
    id: root
    objectName: "notificationsDrawer"
    signal rollbackActivated(var rollbackId)
    edge: Dashboard.rightToLeft ? Qt.LeftEdge : Qt.RightEdge
    width: Math.min(parent ? parent.width * 0.8 : 400, 420)
    height: parent ? parent.height : 600
    onClosed: Dashboard.notifications.markAllRead()

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        RowLayout {
            Layout.fillWidth: true
            Label { text: qsTr("Notifications"); font.pixelSize: 18; font.bold: true; Layout.fillWidth: true }
            Button {
                text: qsTr("Clear")
                flat: true
                enabled: Dashboard.notifications.count > 0
                onClicked: Dashboard.notifications.clear()
            }
        }
        ListView {
            id: list
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 6
            model: Dashboard.notifications
            delegate: ItemDelegate {
                id: item
                required property string title
                required property string details
                required property var time
                required property var rollbackId
                required property bool unread
                required property bool urgent
                width: ListView.view.width
                onClicked: { root.rollbackActivated(item.rollbackId); root.close() }
                contentItem: ColumnLayout {
                    spacing: 2
                    RowLayout {
                        Rectangle {
                            width: 8; height: 8; radius: 4
                            color: item.urgent ? "#c62828" : "#3949ab"
                            visible: item.unread
                        }
                        Label { text: item.title; font.bold: true; Layout.fillWidth: true; elide: Text.ElideRight }
                        Label { text: Qt.formatDateTime(item.time, "HH:mm:ss"); opacity: 0.6 }
                    }
                    Label { text: item.details; opacity: 0.8; Layout.fillWidth: true; wrapMode: Text.Wrap; maximumLineCount: 3; elide: Text.ElideRight }
                }
            }
            Label {
                anchors.centerIn: parent
                visible: list.count === 0
                text: qsTr("Nothing new")
                opacity: 0.6
            }
        }
    }
}
