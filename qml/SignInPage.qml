import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rewind.Core

// Sign in: the server (remembered), then a user name and password, or an API token.
Pane {
    id: root
    objectName: "signInPage"

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 48, 420)
        spacing: 12

        Label {
            text: "Rewind"
            font.pixelSize: 34
            font.bold: true
            Layout.alignment: Qt.AlignHCenter
        }
        Label {
            text: qsTr("Sign in to a Rewind server")
            opacity: 0.7
            Layout.alignment: Qt.AlignHCenter
        }
        TextField {
            id: server
            objectName: "serverField"
            Layout.fillWidth: true
            placeholderText: qsTr("Server, e.g. 127.0.0.1:8470 or https://rewind.example.com")
            text: Dashboard.lastServer
            selectByMouse: true
            inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
            KeyNavigation.tab: useToken.checked ? token : user
        }
        TabBar {
            id: mode
            Layout.fillWidth: true
            TabButton { text: qsTr("Password") }
            TabButton { id: useToken; objectName: "tokenTab"; text: qsTr("API token"); checkable: true }
        }
        StackLayout {
            Layout.fillWidth: true
            currentIndex: mode.currentIndex
            ColumnLayout {
                spacing: 8
                TextField {
                    id: user
                    objectName: "userField"
                    Layout.fillWidth: true
                    placeholderText: qsTr("User name")
                    text: Dashboard.lastUser
                    selectByMouse: true
                    inputMethodHints: Qt.ImhNoAutoUppercase
                    KeyNavigation.tab: password
                }
                TextField {
                    id: password
                    objectName: "passwordField"
                    Layout.fillWidth: true
                    placeholderText: qsTr("Password")
                    echoMode: TextInput.Password
                    onAccepted: root.submit()
                    KeyNavigation.tab: signInButton
                }
            }
            TextField {
                id: token
                objectName: "tokenField"
                Layout.fillWidth: true
                placeholderText: qsTr("rwd_… token")
                echoMode: TextInput.Password
                onAccepted: root.submit()
            }
        }
        Button {
            id: signInButton
            objectName: "signInButton"
            Layout.fillWidth: true
            highlighted: true
            enabled: !Dashboard.session.busy && server.text.trim() !== ""
            text: Dashboard.session.busy ? qsTr("Signing in…") : qsTr("Sign in")
            onClicked: root.submit()
        }
        Label {
            objectName: "signInError"
            Layout.fillWidth: true
            visible: text !== ""
            wrapMode: Text.Wrap
            color: "#c62828"
            text: Dashboard.session.errorString
        }
    }

    function submit() {
        if (mode.currentIndex === 1)
            Dashboard.connectToServer(server.text, token.text)
        else
            Dashboard.signIn(server.text, user.text, password.text)
        password.text = ""
        token.text = ""
    }

    Component.onCompleted: (server.text === "" ? server : user.text === "" ? user : password).forceActiveFocus()
}
