; Inno Setup script: the Windows installer of Relais (built on Windows: docs/packaging.md).
;
;   .venv\Scripts\pyinstaller --noconfirm --clean packaging\relais.spec
;   for /f "tokens=2" %v in ('dist\relais\relais-console.exe --version') do set VERSION=%v
;   iscc /DAppVersion=%VERSION% packaging\windows\relais.iss
;
; The version is given on the command line (it is app/__init__.py's, printed by the bundle):
; the script holds none of its own. Installs for every user (or, if the person installing
; chooses so, for themselves only), a start-menu folder with Relais, the demo, the self-test and
; the uninstaller; uninstalling leaves the users' data, logs and backups in place
; (%LOCALAPPDATA%\Relais).

#ifndef AppVersion
  #error Give the version: iscc /DAppVersion=x.y.z (what relais-console.exe --version prints)
#endif
#define AppName "Relais"
#define AppExe "relais.exe"
#define SourceDir "..\..\dist\relais"

[Setup]
AppId={{8C6E4F52-3B1A-4D7E-9C2F-5A0B7D1E6F34}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Équipe Relais
AppComments=Dossier partagé médico-social des maisons de santé pluriprofessionnelles
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\Relais
DefaultGroupName=Relais
DisableProgramGroupPage=yes
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=relais-{#AppVersion}-windows-x64-installation
SetupIconFile=..\..\resources\icons\relais.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "french"; MessagesFile: "compiler:Languages\French.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Relais"; Filename: "{app}\{#AppExe}"; Comment: "Dossier partagé médico-social de la maison de santé"
Name: "{group}\Relais (démonstration)"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"; Comment: "Patients fictifs, un compte par rôle"
Name: "{group}\Vérifier l'installation"; Filename: "{cmd}"; Parameters: "/k ""{app}\relais-console.exe"" --self-test"; Comment: "relais --self-test"
Name: "{group}\{cm:UninstallProgram,Relais}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\Relais"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,Relais}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
Type: filesandordirs; Name: "{app}\_internal"
