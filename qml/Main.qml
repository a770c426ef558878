import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Rewind.Core

// The window: the sign-in page until a session exists, then a navigation rail with the views.
ApplicationWindow {
    id: window
    objectName: "mainWindow"
    width: 1280
    height: 800
    minimumWidth: 720
    minimumHeight: 480
    visible: true
    title: Dashboard.session.signedIn
           ? qsTr("Rewind — %1 on %2").arg(Dashboard.session.user).arg(Dashboard.serverUrl)
           : qsTr("Rewind")

    // Light and dark themes: the palette every control (Fusion style) and view draws with.
    palette.window: Dashboard.dark ? "#1f2228" : "#f4f5f7"
    palette.windowText: Dashboard.dark ? "#e6e8eb" : "#1d2026"
    palette.base: Dashboard.dark ? "#2a2e35" : "#ffffff"
    palette.alternateBase: Dashboard.dark ? "#30353d" : "#eef0f3"
    palette.text: Dashboard.dark ? "#e6e8eb" : "#1d2026"
    palette.button: Dashboard.dark ? "#343942" : "#e9ebef"
    palette.buttonText: Dashboard.dark ? "#e6e8eb" : "#1d2026"
    palette.highlight: "#3949ab"
    palette.highlightedText: "#ffffff"
    palette.mid: Dashboard.dark ? "#4a505b" : "#c9cdd4"
    palette.placeholderText: Dashboard.dark ? "#9aa0a8" : "#6b717b"
    palette.toolTipBase: Dashboard.dark ? "#343942" : "#ffffe1"
    palette.toolTipText: Dashboard.dark ? "#e6e8eb" : "#1d2026"
    LayoutMirroring.enabled: Dashboard.rightToLeft
    LayoutMirroring.childrenInherit: true

    // The page shown: one of the names in `pages`.
    property string page: "overview"
    // The service the Service page shows.
    property string service: ""
    readonly property var pages: [
        {name: "overview", text: qsTr("Overview")},
        {name: "graph", text: qsTr("Dependencies")},
        {name: "rollbacks", text: qsTr("Rollbacks")},
        {name: "history", text: qsTr("History")},
        {name: "audit", text: qsTr("Audit log"), admin: true}
    ]

    function showService(name) {
        window.service = name
        Dashboard.metrics.service = name
        window.page = "service"
    }
    function showPage(name) {
        if (name !== "service")
            Dashboard.metrics.service = ""
        window.page = name
    }

    Shortcut { sequence: "Ctrl+1"; onActivated: window.showPage("overview") }
    Shortcut { sequence: "Ctrl+2"; onActivated: window.showPage("graph") }
    Shortcut { sequence: "Ctrl+3"; onActivated: window.showPage("rollbacks") }
    Shortcut { sequence: "Ctrl+4"; onActivated: window.showPage("history") }
    Shortcut { sequence: "Ctrl+5"; enabled: Dashboard.session.admin; onActivated: window.showPage("audit") }

    header: ToolBar {
        visible: Dashboard.session.signedIn
        palette.buttonText: "white"
        palette.windowText: "white"
        background: Rectangle { color: "#283593" }
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 8
            spacing: 10
            Label {
                text: "Rewind"
                font.pixelSize: 20
                font.bold: true
            }
            Label {
                objectName: "connectionStatus"
                text: Dashboard.status
                opacity: 0.85
            }
            Item { Layout.fillWidth: true }
            Label {
                text: qsTr("Pending approvals: %1").arg(Dashboard.approvals.count)
                visible: Dashboard.approvals.count > 0
                font.bold: true
                color: "#ffe082"
                MouseArea {
                    anchors.fill: parent
                    onClicked: window.showPage("rollbacks")
                }
            }
            ToolButton {
                objectName: "notificationsButton"
                text: Dashboard.notifications.unread > 0
                      ? qsTr("Notifications (%1)").arg(Dashboard.notifications.unread)
                      : qsTr("Notifications")
                Accessible.name: qsTr("Notifications")
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Notifications")
                onClicked: notificationsDrawer.open()
            }
            ToolButton {
                text: Dashboard.dark ? qsTr("Light") : qsTr("Dark")
                Accessible.name: qsTr("Switch light or dark theme")
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Switch light or dark theme")
                onClicked: Dashboard.dark = !Dashboard.dark
            }
            ToolButton {
                id: languageButton
                text: Dashboard.language === "" ? qsTr("Language") : Dashboard.language.toUpperCase()
                Accessible.name: qsTr("Language")
                onClicked: languageMenu.open()
                LanguageMenu { id: languageMenu; y: languageButton.height }
            }
            ToolButton {
                id: userButton
                text: Dashboard.session.user
                onClicked: userMenu.open()
                Menu {
                    id: userMenu
                    y: userButton.height
                    MenuItem {
                        text: qsTr("Sign out")
                        onTriggered: Dashboard.signOut()
                    }
                }
            }
        }
    }

    SignInPage {
        anchors.fill: parent
        visible: !Dashboard.session.signedIn
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0
        visible: Dashboard.session.signedIn

        // The navigation rail.
        Pane {
            Layout.fillHeight: true
            Layout.preferredWidth: 168
            padding: 6
            background: Rectangle { color: window.palette.alternateBase }
            ColumnLayout {
                anchors.fill: parent
                spacing: 2
                Repeater {
                    model: window.pages
                    delegate: ItemDelegate {
                        required property var modelData
                        objectName: "nav-" + modelData.name
                        Layout.fillWidth: true
                        visible: !modelData.admin || Dashboard.session.admin
                        text: modelData.text
                        highlighted: window.page === modelData.name
                                     || (modelData.name === "overview" && window.page === "service")
                        onClicked: window.showPage(modelData.name)
                    }
                }
                Item { Layout.fillHeight: true }
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    font.pixelSize: 11
                    opacity: 0.6
                    text: qsTr("Rewind %1").arg(Dashboard.version)
                }
            }
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: ["overview", "service", "graph", "rollbacks", "history", "audit"].indexOf(window.page)

            OverviewPage {
                onServiceActivated: (name) => window.showService(name)
            }
            ServicePage {
                service: window.service
                onBack: window.showPage("overview")
                onRequestRollback: (name) => {
                    rollbacksPage.preselect([name])
                    window.showPage("rollbacks")
                }
            }
            GraphPage {
                onServiceActivated: (name) => window.showService(name)
            }
            RollbacksPage { id: rollbacksPage }
            HistoryPage {}
            AuditPage {}
        }
    }

    footer: Label {
        padding: 6
        visible: Dashboard.session.signedIn && Dashboard.errorString !== "" && !Dashboard.connected
        text: Dashboard.errorString
        color: "#c62828"
    }

    NotificationsDrawer {
        id: notificationsDrawer
        onRollbackActivated: window.showPage("rollbacks")
    }

    // New notifications show for a moment at the bottom.
    Toast { id: toast }
    Connections {
        target: Dashboard.notifications
        function onPosted(title, text, urgent) { toast.show(title, text, urgent) }
    }
}
