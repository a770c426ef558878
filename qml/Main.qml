import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rewind.Core

ApplicationWindow {
    id: window
    objectName: "mainWindow"
    width: 1180
    height: 720
    visible: true
    title: qsTr("Rewind — %1").arg(Dashboard.connected ? Dashboard.serverUrl : qsTr("not connected"))

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 12
            spacing: 10
            Label {
                text: "Rewind"
                font.pixelSize: 20
                font.bold: true
            }
            Item { Layout.fillWidth: true }
            TextField {
                id: serverField
                objectName: "serverField"
                Layout.preferredWidth: 280
                placeholderText: qsTr("Server, e.g. 127.0.0.1:8470")
                text: Dashboard.serverUrl
                selectByMouse: true
                onAccepted: Dashboard.connectToServer(text)
            }
            Button {
                text: qsTr("Connect")
                onClicked: Dashboard.connectToServer(serverField.text)
            }
            Label {
                objectName: "connectionStatus"
                text: Dashboard.status
                color: Dashboard.connected ? "#2e7d32" : "#8a5a00"
                font.bold: true
            }
        }
    }

    RowLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 16

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 1
            Label {
                text: qsTr("Services (%1)").arg(Dashboard.services.count)
                font.pixelSize: 16
                font.bold: true
            }
            ServiceList {
                Layout.fillWidth: true
                Layout.fillHeight: true
                model: Dashboard.services
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 1
            Label {
                text: qsTr("Rollbacks (%1)").arg(Dashboard.rollbacks.count)
                font.pixelSize: 16
                font.bold: true
            }
            RollbackList {
                Layout.fillWidth: true
                Layout.fillHeight: true
                model: Dashboard.rollbacks
            }
        }
    }

    footer: Label {
        padding: 6
        visible: Dashboard.errorString !== "" && !Dashboard.connected
        text: Dashboard.errorString
        color: "#b71c1c"
    }
}
