"""Why phones cannot join: the parsers on recorded Windows command outputs, and the causes in order."""

from __future__ import annotations

from pathlib import Path

from vbp_workshop.server import joinhelp
from vbp_workshop.server.joinhelp import FINE, FOUND, POSSIBLE, Findings, Firewall
from vbp_workshop.server.network import Adapter, rank

RECORDED = Path(__file__).parent / "recorded"
PYTHON = r"C:\Users\Jo.Bloggs\AppData\Local\Programs\Python\Python311\python.exe"
BUNDLE = r"C:\Users\Jo.Bloggs\AppData\Local\Programs\VBP Workshop\vbp-workshop.exe"


def recorded(name: str) -> str:
    return (RECORDED / name).read_text("utf-8")


def test_network_profiles_from_powershell_json_list_and_single_object() -> None:
    assert joinhelp.parse_connection_profiles(recorded("windows-netconnectionprofile.json")) == {
        "Wi-Fi": "Public", "Ethernet 3": "Domain"}
    assert joinhelp.parse_connection_profiles(recorded("windows-netconnectionprofile-one.json")) == {
        "Local Area Connection* 12": "Private"}
    assert joinhelp.parse_connection_profiles("") == {} and joinhelp.parse_connection_profiles("oops") == {}


def test_current_profile_from_netsh() -> None:
    active, on, ignored = joinhelp.parse_current_profile(recorded("windows-currentprofile.txt"))
    assert active == ("Public",) and on is True and ignored is True


def test_inbound_rules_from_netsh() -> None:
    rules = joinhelp.parse_rules(recorded("windows-rules-inbound.txt"))
    assert len(rules) == 6
    first = rules[0]
    assert (first.name, first.enabled, first.inbound, first.profiles, first.protocol, first.allow) == (
        "python.exe", True, True, ("Public",), "TCP", False)
    assert first.program.endswith("python311\\python.exe")
    old = next(r for r in rules if r.name.startswith("VBP"))
    assert old.profiles == ("Domain", "Private", "Public") and old.local_ports == "8765" and not old.enabled


def test_the_cancelled_prompts_block_rule_decides_for_python_on_public() -> None:
    rules = joinhelp.parse_rules(recorded("windows-rules-inbound.txt"))
    assert joinhelp.rule_verdict(rules, PYTHON, 8765, "Public") == ("blocked", ["python.exe"])
    # On a Private network no rule speaks for it (the disabled old rule does not count).
    assert joinhelp.rule_verdict(rules, PYTHON, 8765, "Private") == ("no rule", [])
    assert joinhelp.rule_verdict(rules, BUNDLE, 8765, "Public") == ("no rule", [])


def test_a_port_rule_for_any_program_allows() -> None:
    rules = [*joinhelp.parse_rules(recorded("windows-rules-inbound.txt")),
             joinhelp.Rule("VBP Workshop", True, True, ("Private", "Public"), "TCP", "8700-8799", "Any", True)]
    assert joinhelp.rule_verdict(rules, BUNDLE, 8765, "Public") == ("allowed", ["VBP Workshop"])
    assert joinhelp.rule_verdict(rules, BUNDLE, 9000, "Public") == ("no rule", [])


def windows_findings(verdict: str, vpn: bool) -> Findings:
    adapters = [Adapter("Wi-Fi", ("10.120.34.27",))]
    if vpn:
        adapters.append(Adapter("Ethernet 3", ("10.242.8.61",),
                                description="Cisco AnyConnect Secure Mobility Client Virtual Miniport Adapter"))
    fw = Firewall(profiles={"Wi-Fi": "Public"}, active=("Public",), on=True, local_rules_ignored=True,
                  verdict=verdict, rules=["python.exe"] if verdict == "blocked" else [])
    return Findings("win32", 8765, PYTHON, rank(adapters, "win32"), fw)


def test_windows_found_causes_come_first_with_what_to_ask_it_for() -> None:
    found = joinhelp.causes(windows_findings("no rule", vpn=True))
    assert [(c.key, c.status) for c in found] == [("firewall", FOUND), ("vpn", FOUND), ("isolation", POSSIBLE)]
    firewall = found[0]
    assert "set to Public" in firewall.finding and "No firewall rule" in firewall.finding
    ask = firewall.steps[0]
    assert "inbound" in ask and "TCP port 8765" in ask and PYTHON in ask and "Private and Public" in ask
    assert any("group policy" in s for s in firewall.steps)  # the GPO-store-only policy
    assert "Cisco AnyConnect" in found[1].finding and "Disconnect the VPN" in found[1].steps[0]
    assert any("Mobile hotspot" in s for s in found[2].steps)


def test_windows_blocked_by_the_cancelled_prompt_and_no_vpn() -> None:
    found = joinhelp.causes(windows_findings("blocked", vpn=False))
    assert [(c.key, c.status) for c in found] == [("firewall", FOUND), ("isolation", POSSIBLE), ("vpn", FINE)]
    assert "blocks" in found[0].finding and "python.exe" in found[0].finding


def test_windows_allowed_leaves_isolation_as_the_likely_cause() -> None:
    found = joinhelp.causes(windows_findings("allowed", vpn=False))
    assert found[0].key == "isolation" and {c.key: c.status for c in found}["firewall"] == FINE


def test_macos_lists_the_local_network_permission_with_where_to_switch_it_on() -> None:
    offers = rank([Adapter("en0", ("192.168.1.23",)), Adapter("utun3", ("10.8.0.14",))], "darwin")
    found = joinhelp.causes(Findings("darwin", 8765, "/Applications/VBP Workshop.app", offers))
    assert [c.key for c in found] == ["vpn", "isolation", "firewall", "local_network"]
    local = found[-1]
    assert "System Settings › Privacy & Security › Local Network" in local.steps[0]


def test_diagnose_runs_here_without_admin_rights() -> None:
    f = joinhelp.diagnose(8765)
    assert f.offers and f.firewall is None  # Linux: no Windows commands
    assert [c.key for c in joinhelp.causes(f)][:1] in (["isolation"], ["vpn"])
