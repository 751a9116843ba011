"""Lower-extremity DVT: a swollen left leg after a long flight; a two-region compression
exam finds a femoral vein thrombosis, then she collapses with a pulmonary embolism.

Teaches: the order of the compression points, technique, artery vs vein, compressible vs
non-compressible vein with echogenic thrombus, what a two-region exam cannot say about the
calf, and switching to a focused cardiac scan when she becomes unstable.
"""

from __future__ import annotations

from pathlib import Path

from .. import render
from ..bmode import BMode, Probe, fit_display
from ..casedef import Case, KeyPoint, Segment
from ..items import branch, circle, hotspot, ordering, polygon, single
from ..poster import write_poster
from ..scenes.femoral import FemoralScene
from ..scenes.heart import PlaxScene
from . import assemble
from .cardiac_tamponade import phased_probe

ID = "dvt"
CYCLE_S = 2.4


def vascular_probe() -> Probe:
    return Probe(
        "linear",
        depth_mm=40,
        width_mm=38,
        lines=256,
        samples=600,
        axial_res_mm=0.12,
        lateral_res_mm=0.3,
        tgc_db_per_mm=0.4,
    )


def case(root: Path) -> Case:
    folder = root / ID
    media = folder / "media"
    media.mkdir(parents=True, exist_ok=True)
    write_poster(
        media / "patient.png",
        "Emergency department · simulated patient",
        "Aisha Karim, 46",
        [
            "Female, on the combined contraceptive pill",
            "Nine-hour flight five days ago",
            "Left leg swollen and painful for 3 days",
        ],
        "Synthetic case: names and images are simulated",
    )
    probe = vascular_probe()
    disp = fit_display(probe)
    normal = FemoralScene(thrombus=False, cycle_s=CYCLE_S, seed=51)
    bm_cfv = BMode(probe, disp, seed=501)
    cfv = render.clip(
        folder,
        "media/cfv_compression.mp4",
        bm_cfv,
        normal,
        "cfv",
        "Left common femoral vein at the inguinal ligament, with compression",
        CYCLE_S,
        with_size=True,
        description=(
            "Transverse B-mode clip of the left groin at the inguinal ligament, linear probe, "
            "marker to the patient's right, as the probe presses down and lets go"
        ),
    )
    ax, az = normal.artery
    artery = circle("artery", bm_cfv.display.to_px(ax, az - 0.5), 6.5 * bm_cfv.display.scale)
    vx, vz = normal.vein
    vein = circle("vein", bm_cfv.display.to_px(vx, vz + 1.0), 8.0 * bm_cfv.display.scale)
    node = circle("lymph-node", bm_cfv.display.to_px(15.5, 6.5), 4.5 * bm_cfv.display.scale)

    clot = FemoralScene(thrombus=True, cycle_s=CYCLE_S, seed=52)
    bm_fv = BMode(probe, disp, seed=502)
    fv = render.clip(
        folder,
        "media/fv_compression.mp4",
        bm_fv,
        clot,
        "fv",
        "Left femoral vein, mid-thigh, with compression",
        CYCLE_S,
        description=(
            "Transverse B-mode clip of the left mid-thigh, linear probe, as the probe presses down"
            " and lets go"
        ),
    )
    fv_still, _ = render.still(
        folder,
        "media/fv_still.png",
        bm_fv,
        clot,
        "fv-still",
        "Left femoral vein, mid-thigh, without compression",
        t=0.0,
        description=(
            "Transverse B-mode still of the left mid-thigh at the same level, the probe resting "
            "without pressure"
        ),
    )
    thrombus = polygon("thrombus", render.to_px(bm_fv, clot.vein_outline(0.0)))
    cax, caz = clot.artery
    fv_artery = circle("artery", bm_fv.display.to_px(cax, caz), 5.5 * bm_fv.display.scale)

    php = phased_probe()
    heart = PlaxScene(rv_cavity_mm=30, lv_diastole_mm=32, septal_flattening=1.0, seed=53)
    plax = render.clip(
        folder,
        "media/plax_rv.mp4",
        BMode(php, fit_display(php), seed=503, marker_right=True),
        heart,
        "plax-rv",
        "Parasternal long axis",
        heart.loop_s,
        description=(
            "Parasternal long-axis B-mode clip of the heart, phased-array probe; right ventricle "
            "near the top, left ventricle below it"
        ),
    )

    vitals_0 = {
        "HR": "88/min",
        "BP": "132/84 mmHg",
        "RR": "16/min",
        "SpO2": "97 % (air)",
        "Temp": "37.2 °C",
    }
    labs_0 = {
        "D-dimer": "2.8 mg/L FEU (raised)",
        "Creatinine": "0.8 mg/dL",
        "Wells score": "DVT likely",
    }
    vitals_1 = {"HR": "126/min", "BP": "86/52 mmHg", "RR": "30/min", "SpO2": "86 % (air)"}

    kp_plan = KeyPoint(
        "kp-plan",
        "Before you scan",
        clinical_info={"vitals": vitals_0, "labs": labs_0},
        items=[
            ordering(
                "q-points",
                "Put the compression points of a two-region exam in order, from the groin down.",
                [
                    (
                        "popliteal",
                        "Popliteal vein in the popliteal fossa, down to the calf vein confluence",
                    ),
                    ("cfv", "Common femoral vein just below the inguinal ligament"),
                    ("bifurcation", "Where the femoral and deep femoral veins join"),
                    ("sfj", "Common femoral vein at the great saphenous vein junction"),
                ],
                ["cfv", "sfj", "bifurcation", "popliteal"],
                ["views", "acquisition"],
                "The two-region exam compresses the common femoral vein from the inguinal "
                "ligament, past the saphenofemoral junction, to where the femoral and deep "
                "femoral veins join, and then the popliteal vein down to the confluence of "
                "the calf veins. Going in a fixed order from proximal to distal makes the "
                "exam reproducible and no region is skipped.",
                scoring="exact",
            ),
            single(
                "q-technique",
                "How do you test a vein for thrombus with the probe?",
                [
                    (
                        "transverse",
                        "Transverse, pressing until the vein walls touch, enough to "
                        "slightly deform the artery",
                    ),
                    ("longitudinal", "Longitudinal, looking for flow with colour Doppler only"),
                    ("light", "Transverse, with light pressure so as not to dislodge a clot"),
                    ("augment", "Longitudinal, squeezing the calf and listening for augmentation"),
                ],
                "transverse",
                ["anatomy", "acquisition"],
                "In transverse you see the vein and artery side by side, and you can press "
                "straight down on the vein. A normal vein collapses completely before the "
                "artery deforms. Pressing too lightly gives false positives; Doppler and "
                "augmentation can support, but compression is the test.",
            ),
        ],
    )

    kp_cfv = KeyPoint(
        "kp-cfv",
        "Common femoral vein, left groin",
        prompt="Transverse, marker to the patient's right: medial is on the screen's left.",
        media=[cfv],
        items=[
            hotspot(
                "q-artery",
                "Click on the common femoral artery.",
                "cfv",
                [artery, vein, node],
                ["artery"],
                ["anatomy", "interpretation"],
                "In the groin the common femoral artery lies lateral to the vein: round, "
                "thick-walled, pulsatile, and it keeps its shape under pressure. The vein is "
                "medial, larger, oval, thin-walled and collapses with compression. The oval "
                "structure near the surface with a bright centre is a lymph node.",
            ),
            single(
                "q-cfv-result",
                "What does this compression show?",
                [
                    ("normal", "The vein collapses completely: no thrombus at this level"),
                    ("dvt", "The vein does not collapse: thrombus at this level"),
                    ("artery", "The artery collapses, so the pressure is too high"),
                    ("both", "Both vessels collapse: the exam is not valid"),
                ],
                "normal",
                ["findings", "interpretation"],
                "Full apposition of the vein walls, so that the lumen disappears while the "
                "artery stays round, rules out thrombus at this point. It says nothing about "
                "the next points: each one is compressed in turn.",
            ),
        ],
    )

    kp_fv = KeyPoint(
        "kp-fv",
        "Femoral vein, further down",
        prompt="At the junction of the femoral and deep femoral veins.",
        layout="together",
        media=[fv, fv_still],
        items=[
            single(
                "q-fv-result",
                "What do the clip and the still show?",
                [
                    (
                        "dvt",
                        "A deep vein thrombosis: the vein is distended, full of echoes and "
                        "does not collapse",
                    ),
                    ("normal", "A normal vein: slow flow makes the lumen look grey"),
                    ("node", "An enlarged lymph node next to a normal vein"),
                    ("baker", "A Baker's cyst"),
                ],
                "dvt",
                ["pathologies", "interpretation"],
                "The vein is wider than the artery, filled with low-level echoes, and keeps "
                "its shape under pressure that deforms the tissue around it: a "
                "non-compressible vein is a DVT. Slow flow ('smoke') can look grey but the "
                "vein still collapses fully. A lymph node has a bright fatty hilum and is "
                "not in the course of the vein.",
            ),
            hotspot(
                "q-thrombus",
                "In the still image, click on the thrombus.",
                "fv-still",
                [thrombus, fv_artery],
                ["thrombus"],
                ["findings", "interpretation"],
                "The thrombus fills the distended vein on the medial side (screen left): "
                "grey material inside a thin wall, with a sliver of black, flowing blood at "
                "its edge. The artery beside it is round with a black lumen.",
            ),
        ],
    )

    kp_calf = KeyPoint(
        "kp-calf",
        "The calf veins",
        prompt="The popliteal vein compressed normally. The calf was not scanned.",
        items=[
            single(
                "q-calf",
                "From this exam, what is the state of her calf veins?",
                [
                    ("clear", "The calf veins are free of thrombus"),
                    ("clot", "The thrombus extends into the calf veins"),
                ],
                "not_possible",
                ["limits", "mdm"],
                "A two-region exam looks only at the common femoral, femoral junction and "
                "popliteal veins; the calf veins are not examined. It cannot say whether the "
                "calf veins are clear or thrombosed. Here it does not matter, because a "
                "proximal DVT has been found; when the two-region exam is normal and "
                "suspicion stays high, it is repeated in a week or a whole-leg scan is done.",
                not_possible=True,
            ),
        ],
    )

    kp_collapse = KeyPoint(
        "kp-collapse",
        "She collapses",
        prompt="Coming back from the bathroom she becomes acutely breathless and grey.",
        clinical_info={"vitals": vitals_1},
        items=[
            single(
                "q-next",
                "What do you do first?",
                [
                    ("echo", "A focused cardiac ultrasound at the bedside, now"),
                    ("ctpa", "Send her for a CT pulmonary angiogram"),
                    ("finish", "Finish the leg exam on the other side"),
                    ("dimer", "Repeat the D-dimer"),
                ],
                "echo",
                ["pathologies", "mdm"],
                "Sudden hypotension and hypoxia with a known DVT is a massive pulmonary "
                "embolism until proven otherwise. Moving an unstable patient to CT is "
                "dangerous; a bedside cardiac scan showing a dilated, pressure-loaded right "
                "ventricle is enough to justify thrombolysis in this setting, and excludes "
                "other causes such as tamponade. Her condition requires leaving the leg "
                "exam.",
            ),
        ],
        branches=[branch("pe-echo", item="q-next", equals="echo"), branch("ctpa")],
    )

    kp_rv = KeyPoint(
        "kp-rv",
        "Focused cardiac ultrasound",
        media=[plax],
        items=[
            single(
                "q-rv",
                "What does the parasternal long axis show, and what does it mean here?",
                [
                    (
                        "rv",
                        "A dilated right ventricle, as large as the left, with a flattened "
                        "septum: acute RV pressure overload, supporting massive PE",
                    ),
                    ("tamponade", "A pericardial effusion with tamponade"),
                    ("lv", "A dilated, poorly contracting left ventricle"),
                    ("normal", "A normal heart: look for another cause"),
                ],
                "rv",
                ["findings", "mdm"],
                "Normally the right ventricle in the parasternal long axis is about a third "
                "of the width of the left. Here it is as wide as the LV, whose cavity is "
                "small and underfilled, and the septum is flattened. With a proven DVT, "
                "hypotension and hypoxia this supports massive PE and systemic "
                "thrombolysis. There is no pericardial effusion.",
            ),
        ],
    )

    history = Segment(
        "history",
        "A swollen left leg: history",
        [
            "Mrs Aisha Karim, a 46 year old woman, comes to the emergency department with a "
            "painful, swollen left leg.",
            "Five days ago she returned from a nine-hour flight, and she takes the combined "
            "contraceptive pill.",
            "Her left calf is 3 centimetres larger than the right, and the thigh is tender along "
            "the inner side.",
            "Her heart rate is 88, blood pressure 132 over 84, oxygen saturation 97 percent, and "
            "the D-dimer is raised.",
            "You decide to perform a two-region compression ultrasound of the left leg.",
            kp_plan,
            "You take the linear probe and start at the groin.",
        ],
        next="scan",
        poster="media/patient.png",
    )

    scan = Segment(
        "scan",
        "Compression ultrasound",
        [
            "You place the probe transverse just below the left inguinal ligament and press.",
            kp_cfv,
            "You move down the thigh to where the femoral and deep femoral veins join, and "
            "press again.",
            kp_fv,
            "You finish the exam at the popliteal fossa.",
            kp_calf,
            "While you are writing your report, Mrs Karim goes to the bathroom.",
            "On her way back she becomes suddenly breathless, grey and sweaty.",
            "Her heart rate is 126, blood pressure 86 over 52, and oxygen saturation 86 percent.",
            kp_collapse,
        ],
        poster="media/patient.png",
    )

    ctpa = Segment(
        "ctpa",
        "Waiting for CT",
        [
            "You request a CT pulmonary angiogram.",
            "While the porter is on the way her blood pressure falls to 70 systolic.",
            "Your consultant stops the transfer and asks you to scan her heart at the bedside.",
            "Remember: an unstable patient with a suspected pulmonary embolism is assessed at "
            "the bedside, not in the CT scanner.",
        ],
        next="pe-echo",
        poster="media/patient.png",
    )

    pe_echo = Segment(
        "pe-echo",
        "Focused cardiac ultrasound",
        [
            "You put the phased-array probe on her chest and obtain a parasternal long-axis view.",
            kp_rv,
            "She receives systemic thrombolysis.",
            "Within an hour her blood pressure is 108 over 70 and her saturation 94 percent.",
            "She is admitted to the high-dependency unit.",
        ],
        poster="media/patient.png",
    )

    segments = [history, scan, ctpa, pe_echo]
    return assemble(
        ID,
        "tools/make_media/library/dvt.py",
        segments,
        title="A swollen left leg after a long flight",
        clinical_area="dvt",
        time_limit_minutes=20,
        cut_score=70,
        show_results=True,
        summary="A woman with a swollen leg after a long flight. Perform a two-region "
        "compression exam, interpret it, and act when she suddenly collapses.",
    )
