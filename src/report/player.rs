//! The replay player of `index.html` (issue 11 §3): the first replication
//! played back event by event. Play, pause, speed, a scrub bar, and a step
//! back and forward by one event; each node drawn with its health, its role
//! and whether the dispatcher sends it work; request counters (sent,
//! failed, retried) from the window series, a retry counted in the window
//! its request arrived in, as sent and failed are. Inline script and style, no network; the page's static
//! content stays readable without script (the player then shows a note).
//!
//! The script derives every drawn state from the embedded events alone, by
//! the rules below, so what it draws at time t is what `events.csv` says up
//! to t:
//!
//! - health: `crashed` → down, `failed_permanently` → gone, `hung` → hung,
//!   `partitioned` → partitioned, `slowed` → slow; `repaired`, `replaced`,
//!   `healed` → up; SPEC §7: `stopped` → down, `cut_off` → partitioned,
//!   `restarted`, `reconnected` → up; with `[maintenance]`,
//!   `maintenance_stopped` → down; with domains the nodes are grouped
//!   as on the timeline and each group shows its domain's state from the
//!   recorded intervals (`groups`);
//! - dispatcher: `marked_down` → out, `marked_up` → in (all in at start);
//! - role: the roles at t = 0, then `promoted` / `elected` make a node the
//!   primary (master, leader) and the former one a backup (slave, follower).

use crate::i18n::{t, CATALOGUE};
use crate::metrics::NodeView;
use crate::montecarlo::Outcome;
use crate::scenario::{Architecture, Scenario};

/// The most events the player carries (the page stays small); the rest are
/// in `events.csv`.
pub const MAX_EVENTS: usize = 5000;

fn secs(ns: u64) -> serde_json::Value {
    serde_json::json!(ns as f64 / 1e9)
}

/// The names of the two roles for an architecture: (primary, other).
fn role_names(a: Architecture) -> (&'static str, &'static str) {
    match a {
        Architecture::ColdStandby | Architecture::WarmStandby => ("primary", "backup"),
        Architecture::MasterSlave => ("master", "slave"),
        Architecture::SymmetricCluster => ("leader", "member"),
        Architecture::AsymmetricCluster => ("leader", "follower"),
    }
}

/// The player's section: a heading, a note for readers without script, the
/// data as JSON and the script.
pub fn section(sc: &Scenario, o: &Outcome) -> String {
    let (lead, other) = role_names(sc.architecture);
    let n = sc.nodes.count as usize;
    let mut roles = vec![""; n];
    for v in o.views.iter().take_while(|v| v.time_ns == 0) {
        if let Some(r) = roles.get_mut(v.node as usize) {
            *r = match v.view {
                NodeView::Primary => lead,
                NodeView::Backup => other,
                NodeView::Serving if matches!(sc.architecture, Architecture::MasterSlave) => other,
                NodeView::Serving => "member",
                _ => "",
            };
        }
    }
    let events: Vec<serde_json::Value> = o
        .events
        .iter()
        .take(MAX_EVENTS)
        .map(|e| {
            serde_json::json!([
                secs(e.time_ns),
                e.node.map_or(-1, i64::from),
                e.event,
                e.detail
            ])
        })
        .collect();
    let windows: Vec<serde_json::Value> = o
        .windows
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let end = (sc.warmup_ns + (i as u64 + 1) * sc.window_ns).min(sc.horizon_ns());
            serde_json::json!([secs(end), w.offered, w.failed, w.retries])
        })
        .collect();
    let mut data = serde_json::json!({
        "nodes": n,
        "roles": roles,
        "lead": lead,
        "other": other,
        "start": secs(0),
        "end": secs(sc.horizon_ns()),
        "events": events,
        "cut": o.events.len() > MAX_EVENTS,
        "requests": o.requests.is_some(),
        "windows": windows,
        "replications": o.replications,
        "retries": o.requests.map_or(0, |t| t.retries),
    });
    if crate::report::charts::domain_rows::grouped(sc) {
        data["groups"] = groups(sc, o);
    }
    // `<` inside a script's JSON would let `</script>` end it early.
    let json = data.to_string().replace('<', "\\u003c");
    format!(
        "<h2 id=\"replay\">{}</h2>\n\
<div id=\"player\"><p class=\"sub\">{}</p></div>\n\
<script type=\"application/json\" id=\"player-data\">{json}</script>\n\
<style>{STYLE}</style>\n<script>{}</script>\n",
        t("play.heading"),
        t("play.needs_js"),
        script()
    )
}

/// The script in this thread's language: each `play.*` message is a
/// literal of `SCRIPT` (its English text, quotes included), replaced by
/// its Chinese; English leaves the script as it is.
fn script() -> String {
    let mut s = SCRIPT.to_string();
    if crate::i18n::zh() {
        for id in SCRIPT_TEXT {
            let (_, en, zh) = CATALOGUE
                .iter()
                .find(|m| m.0 == *id)
                .expect("every player message is in the catalogue");
            s = s.replace(en, zh);
        }
    }
    s
}

/// The catalogue messages that are literals of `SCRIPT`.
pub const SCRIPT_TEXT: &[&str] = &[
    "play.play_btn",
    "play.play_text",
    "play.pause_text",
    "play.next",
    "play.back_btn",
    "play.t_back",
    "play.t_play",
    "play.t_fwd",
    "play.speed",
    "play.ev1",
    "play.ev3",
    "play.ev10",
    "play.ev30",
    "play.scrub",
    "play.keys",
    "play.cut1",
    "play.cut2",
    "play.req1",
    "play.req2",
    "play.noreq",
    "play.node",
    "play.node_b",
    "play.up",
    "play.disp",
    "play.nobody",
    "play.disp2",
    "play.disp3",
    "play.req_all",
    "play.req_sent",
    "play.failed",
    "play.retried",
    "play.event_of",
    "play.state_words",
    "play.state_text",
    "play.of",
];

/// SPEC §7: the nodes grouped by domain as on the timeline, each group
/// with its domain's down intervals (s), and the intervals with no
/// dispatcher active: `{"domains": [[label, effect, [node…], [[from, to]…]]…],
/// "loose": [node…], "dispatcher": [[from, to]…]}`.
fn groups(sc: &Scenario, o: &Outcome) -> serde_json::Value {
    use crate::report::charts::domain_rows::{self, RowKind};
    let iv = |v: Vec<(u64, u64)>| -> Vec<serde_json::Value> {
        v.into_iter()
            .map(|(a, b)| serde_json::json!([secs(a), secs(b)]))
            .collect()
    };
    let mut domains: Vec<serde_json::Value> = Vec::new();
    let mut loose = Vec::new();
    for row in domain_rows::layout(sc) {
        match row {
            RowKind::Domain(d) => domains.push(serde_json::json!([
                domain_rows::label(sc, row),
                if sc.domains[d as usize].effect == crate::scenario::Effect::Crash {
                    "crash"
                } else {
                    "partition"
                },
                [],
                iv(domain_rows::down_intervals(sc, o, Some(d)))
            ])),
            RowKind::Node(n) => match domains.last_mut() {
                Some(g) if domain_rows::home(sc)[n as usize].is_some() => {
                    g[2].as_array_mut().expect("an array").push(n.into());
                }
                _ => loose.push(n),
            },
            _ => {}
        }
    }
    serde_json::json!({
        "domains": domains,
        "loose": loose,
        "dispatcher": iv(domain_rows::down_intervals(sc, o, None)),
    })
}

const STYLE: &str = "#player .bar{display:flex;gap:.4em;align-items:center;flex-wrap:wrap;margin:.5em 0}\
#player input[type=range]{flex:1;min-width:12em}#player .nodes{display:flex;gap:.8em;flex-wrap:wrap;margin:.8em 0}\
#player .node{border:2px solid #888;border-radius:.4em;padding:.4em .7em;min-width:7.5em;background:#fff}\
#player .node b{display:block}#player .h-up{border-color:#2a7;background:#eefaf2}\
#player .h-down{border-color:#c33;background:#fdecec}#player .h-gone{border-color:#555;background:#e4e4e4}\
#player .h-hung{border-color:#c80;background:#fff4e0}#player .h-partitioned{border-color:#a4c;background:#f6ecfb}\
#player .h-slow{border-color:#9a2;background:#f7fbe8}#player .d-out{border-style:dashed}\
#player .disp{border:2px solid #247;border-radius:.4em;padding:.4em .7em;background:#eef3fb;margin:.5em 0}\
#player .counters span{margin-right:1.2em}#player .now{font-variant-numeric:tabular-nums}\
#player ol{max-height:14em;overflow:auto;border:1px solid #ddd;padding:.3em 2.5em;margin:.5em 0;font-size:.92em}\
#player .grp{border:1px solid #bbb;border-radius:.4em;padding:.2em .6em;margin:.4em 0}#player .grp.g-down{background:#fbe3d6;border-color:#c33}#player .grp.g-cut{background:#f1e6f7;border-color:#a4c;border-style:dashed}#player .grp .nodes{margin:.3em 0}#player li.cur{background:#ffe98a}#player li.past{color:#333}#player li.future{color:#999}";

/// The player. Keyboard: Space plays or pauses, ← and → step one event,
/// Home and End jump to the ends, + and − change the speed; the scrub bar
/// is a range input (arrow keys work on it too).
const SCRIPT: &str = r#"(function(){
var D=JSON.parse(document.getElementById('player-data').textContent);
var root=document.getElementById('player');var E=D.events;
var HEALTH={crashed:'down',failed_permanently:'gone',hung:'hung',partitioned:'partitioned',slowed:'slow',repaired:'up',replaced:'up',healed:'up',stopped:'down',restarted:'up',cut_off:'partitioned',reconnected:'up',maintenance_stopped:'down'};
function human(s){if(s<60)return s.toFixed(1)+'s';var m=Math.floor(s/60);if(m<60)return m+'m '+String(Math.floor(s%60)).padStart(2,'0')+'s';
var h=Math.floor(m/60);if(h<24)return h+'h '+String(m%60).padStart(2,'0')+'m';var d=Math.floor(h/24);return d+'d '+String(h%24).padStart(2,'0')+'h';}
function stateAt(k){var s={health:[],disp:[],role:D.roles.slice()};
for(var i=0;i<D.nodes;i++){s.health.push('up');s.disp.push('in');}
for(var j=0;j<k;j++){var e=E[j],n=e[1],ev=e[2];if(n<0||n>=D.nodes)continue;
if(HEALTH[ev])s.health[n]=HEALTH[ev];
if(ev==='marked_down')s.disp[n]='out';if(ev==='marked_up')s.disp[n]='in';
if(ev==='promoted'||ev==='elected'){for(var i2=0;i2<D.nodes;i2++)if(s.role[i2]===D.lead)s.role[i2]=D.other;s.role[n]=D.lead;}}
return s;}
function counters(t){var sent=0,failed=0,retried=0;for(var i=0;i<D.windows.length;i++){var w=D.windows[i];if(w[0]<=t){sent+=w[1];failed+=w[2];retried+=w[3];}}return [sent,failed,retried];}
var bits=[];bits.push('<div class="bar"><button id="p-back" title="step back one event (←)">⏮ back</button><button id="p-play" title="play or pause (Space)">▶ play</button><button id="p-fwd" title="step forward one event (→)">next ⏭</button>');
bits.push('<label>speed <select id="p-speed"><option value="1">1 event/s</option><option value="3" selected>3 events/s</option><option value="10">10 events/s</option><option value="30">30 events/s</option></select></label>');
bits.push('<span class="now" id="p-now"></span></div>');
bits.push('<div class="bar"><input type="range" id="p-scrub" min="0" max="1000" step="1" aria-label="playhead: simulated time"></div>');
bits.push('<div class="disp" id="p-disp"></div><div class="nodes" id="p-nodes"></div><div class="counters" id="p-counters"></div><ol id="p-list"></ol>');
bits.push('<p class="sub">Keys: Space play/pause, ← → one event, Home/End, + − speed. Health from crashed / repaired / replaced / hung / partitioned / healed events (with domains also stopped / restarted / cut_off / reconnected); the dispatcher follows marked_down / marked_up; roles change on promoted / elected. ');
if(D.cut)bits.push('The player carries the first '+E.length+' events; all are in events.csv. ');
bits.push(D.requests?'Request counters add up the whole windows (timeseries.csv) that ended by the playhead, over all '+D.replications+' run(s).':'This scenario has no workload: no request counters.');
bits.push('</p>');root.innerHTML=bits.join('');
var list=document.getElementById('p-list');var items=[];
for(var i=0;i<E.length;i++){var li=document.createElement('li');li.textContent=human(E[i][0])+'  '+(E[i][1]>=0?'node '+E[i][1]+' ':'')+E[i][2]+(E[i][3]?' — '+E[i][3]:'');
(function(k){li.addEventListener('click',function(){go(k);});})(i+1);list.appendChild(li);items.push(li);}
var P={t:D.start,k:0,timer:null};
function countUpTo(t){var k=0;while(k<E.length&&E[k][0]<=t)k++;return k;}
function within(v,t){for(var i=0;i<v.length;i++)if(v[i][0]<=t&&t<v[i][1])return true;return false;}
function draw(){var s=stateAt(P.k);var h='';
function card(i){return '<div class="node h-'+s.health[i]+' d-'+s.disp[i]+'" data-node="'+i+'" data-health="'+s.health[i]+'" data-role="'+s.role[i]+'" data-dispatch="'+s.disp[i]+'"><b>node '+i+'</b>'+(s.role[i]||'&nbsp;')+'<br>'+s.health[i]+'<br><small>'+(s.disp[i]==='in'?'marked up':'marked down')+'</small></div>';}
if(D.groups){var G=D.groups;for(var g=0;g<G.domains.length;g++){var x=G.domains[g],dn=within(x[3],P.t);
h+='<div class="grp'+(dn?(x[1]==='crash'?' g-down':' g-cut'):'')+'" data-domain="'+g+'" data-down="'+dn+'"><b>'+x[0].replace(/</g,'&lt;')+'</b> '+(dn?(x[1]==='crash'?'down':'cut off'):'up')+'<div class="nodes">';
for(var q=0;q<x[2].length;q++)h+=card(x[2][q]);h+='</div></div>';}
for(var q2=0;q2<G.loose.length;q2++)h+=card(G.loose[q2]);}
else{for(var i=0;i<D.nodes;i++)h+=card(i);}
document.getElementById('p-nodes').innerHTML=h;
var ins=[];for(var j=0;j<D.nodes;j++)if(s.disp[j]==='in'&&s.role[j]!=='backup')ins.push(j);
document.getElementById('p-disp').textContent=(D.groups&&within(D.groups.dispatcher,P.t)?'no dispatcher active: requests fail. ':'')+'dispatcher (task allocator) sends work to: '+(ins.length?ins.map(function(x){return 'node '+x;}).join(', '):'nobody')+' (nodes marked up'+(D.other==='backup'?' that are not backups':'')+')';
if(D.requests){var c=counters(P.t);document.getElementById('p-counters').innerHTML='<span>requests (all '+D.replications+' run(s), windows ended by now): sent '+c[0]+'</span><span>failed '+c[1]+'</span><span>retried '+c[2]+'</span>';var pc=document.getElementById('p-counters');pc.setAttribute('data-sent',c[0]);pc.setAttribute('data-failed',c[1]);pc.setAttribute('data-retried',c[2]);}
document.getElementById('p-now').textContent='t = '+human(P.t)+' ('+Math.round(P.t)+' s) · event '+P.k+' of '+E.length;
var sc=document.getElementById('p-scrub');sc.value=Math.round(1000*(P.t-D.start)/Math.max(1e-9,D.end-D.start));
for(var m=0;m<items.length;m++)items[m].className=m+1<P.k?'past':(m+1===P.k?'cur':'future');
if(P.k>0){var it=items[P.k-1];list.scrollTop=it.offsetTop-list.offsetTop-list.clientHeight/2;}
root.setAttribute('data-time',String(P.t));root.setAttribute('data-event',String(P.k));}
function go(k){P.k=Math.max(0,Math.min(E.length,k));P.t=P.k>0?E[P.k-1][0]:D.start;draw();}
function seek(t){P.t=Math.max(D.start,Math.min(D.end,t));P.k=countUpTo(P.t);draw();}
function pause(){if(P.timer){clearInterval(P.timer);P.timer=null;}document.getElementById('p-play').textContent='▶ play';}
function play(){if(P.timer)return pause();if(P.k>=E.length)go(0);var sp=+document.getElementById('p-speed').value;
P.timer=setInterval(function(){if(P.k>=E.length)return pause();go(P.k+1);},1000/sp);document.getElementById('p-play').textContent='⏸ pause';}
document.getElementById('p-back').onclick=function(){pause();go(P.k-1);};
document.getElementById('p-fwd').onclick=function(){pause();go(P.k+1);};
document.getElementById('p-play').onclick=play;
document.getElementById('p-speed').onchange=function(){if(P.timer){pause();play();}};
document.getElementById('p-scrub').oninput=function(){pause();seek(D.start+(D.end-D.start)*this.value/1000);};
root.addEventListener('keydown',function(e){var tg=e.target.tagName;if(tg==='SELECT'||(tg==='BUTTON'&&(e.key===' '||e.key==='Enter')))return;var sp=document.getElementById('p-speed');
if(e.key===' '){play();}else if(e.key==='ArrowLeft'){pause();go(P.k-1);}else if(e.key==='ArrowRight'){pause();go(P.k+1);}
else if(e.key==='Home'){pause();go(0);}else if(e.key==='End'){pause();go(E.length);}
else if(e.key==='+'||e.key==='='){sp.selectedIndex=Math.min(sp.options.length-1,sp.selectedIndex+1);sp.onchange();}
else if(e.key==='-'){sp.selectedIndex=Math.max(0,sp.selectedIndex-1);sp.onchange();}else return;e.preventDefault();});
root.tabIndex=0;window.hasimPlayer={seek:seek,step:function(d){go(P.k+d);},state:function(){return stateAt(P.k);}};draw();})();"#;

#[cfg(test)]
mod tests {
    use super::*;

    /// Each translated literal is in the script exactly as the catalogue
    /// says (quotes included, so only string literals match).
    #[test]
    fn every_script_message_is_a_literal_of_the_script() {
        for id in SCRIPT_TEXT {
            let (_, en, _) = CATALOGUE.iter().find(|m| m.0 == *id).unwrap();
            assert!(SCRIPT.contains(en), "{id}: {en}");
        }
        let zh = crate::i18n::with_lang(Some(crate::i18n::Lang::Zh), script);
        assert!(zh.contains("▶ 播放") && !zh.contains("▶ play"));
        assert_eq!(script(), SCRIPT, "English leaves the script alone");
    }
}
