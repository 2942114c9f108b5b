; Inno Setup script for KH75 Desktop: per-user install without admin rights, a Start-menu entry,
; and .kh75 packages opening in the app. Build the bundle first (uv run python packaging/build.py),
; then compile this script with Inno Setup 6 (iscc packaging\windows\kh75.iss). build.py prints
; the exact command, with the version: iscc /DAppVersion=X.Y.Z packaging\windows\kh75.iss
; The file is UTF-8 with a BOM so that Inno Setup before 6.3 reads the Vietnamese right.
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define BundleDir "..\..\dist\KH75-" + AppVersion

[Setup]
AppId={{8F71472C-BC28-41D1-8DCD-3E6C62154DF5}
AppName=KH75 Desktop
AppVersion={#AppVersion}
AppPublisher=KH75 Desktop
DefaultDirName={localappdata}\Programs\KH75 Desktop
DefaultGroupName=KH75 Desktop
; Per user only: no "install for all users" choice, which would elevate and then write to the
; administrator's {localappdata} and HKCU instead of the officer's.
PrivilegesRequired=lowest
; Python 3.11 and Qt 6 need Windows 10 1809 or later, on x64.
MinVersion=10.0.17763
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=KH75-Desktop-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
ChangesAssociations=yes
UninstallDisplayIcon={app}\kh75w.exe
SetupIconFile=..\..\resources\icons\kh75.ico
; Code signing when a certificate is configured: iscc /DSignTool=kh75sign
; /Skh75sign="signtool sign /fd sha256 /f cert.pfx /p PASS /tr http://timestamp.example $f"
#ifdef SignTool
SignTool={#SignTool}
SignedUninstaller=yes
#endif

[Languages]
; Inno Setup's own English messages, then the project's Vietnamese (packaging/windows/
; Vietnamese.isl) over them: Inno Setup installs no Vietnamese file of its own.
Name: "vi"; MessagesFile: "compiler:Default.isl,Vietnamese.isl"

[InstallDelete]
; An upgrade starts from a clean bundle: a file left from the old version (a removed schema
; migration, which Alembic would find and load) must not survive it. The user's data lives
; elsewhere (%LOCALAPPDATA%\KH75) and is never touched.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\KH75 Desktop"; Filename: "{app}\kh75w.exe"
Name: "{group}\KH75 Desktop — Sở Y tế"; Filename: "{app}\kh75w.exe"; Parameters: "province"
Name: "{group}\Gỡ cài đặt KH75 Desktop"; Filename: "{uninstallexe}"

[Registry]
; .kh75 packages open in the app, for the current user only (no admin rights needed)
Root: HKCU; Subkey: "Software\Classes\.kh75"; ValueType: string; ValueData: "KH75.Package"; Flags: uninsdeletevalue uninsdeletekeyifempty
Root: HKCU; Subkey: "Software\Classes\KH75.Package"; ValueType: string; ValueData: "Gói số liệu KH75"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\KH75.Package\DefaultIcon"; ValueType: string; ValueData: "{app}\kh75w.exe,0"
Root: HKCU; Subkey: "Software\Classes\KH75.Package\shell\open\command"; ValueType: string; ValueData: """{app}\kh75w.exe"" open ""%1"""

[Code]
// The uninstaller removes the program only: the profiles, keys and backups in the user's data
// folder stay, and the officer is told where they are (an uninstall before handing the laptop
// on is the moment someone asks "where did our figures go?").
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  DataDir := ExpandConstant('{localappdata}\KH75');
  if (CurUninstallStep = usPostUninstall) and DirExists(DataDir) and not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [DataDir]), mbInformation, MB_OK);
end;
