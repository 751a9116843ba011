"""Cardiac: malignant pericardial effusion with tamponade, parasternal long axis.

Teaches: PLAX probe position, recognising an effusion and telling it from a pleural
effusion by the descending aorta, RV diastolic collapse in M-mode, other tamponade signs,
sizing, the limits of ultrasound about the cause, and draining when she deteriorates.
"""

from __future__ import annotations

from pathlib import Path

from .. import render
from ..bmode import BMode, Probe, fit_display
from ..casedef import Case, KeyPoint, Segment
from ..items import branch, circle, hotspot, multiple, single
from ..poster import write_poster
from ..scenes.heart import PlaxScene
from . import assemble

ID = "cardiac-tamponade"


def phased_probe() -> Probe:
    return Probe(
        "phased",
        depth_mm=160,
        angle_deg=84,
        lines=192,
        samples=800,
        axial_res_mm=0.45,
        lateral_res_mm=1.1,
        tgc_db_per_mm=0.13,
    )


def case(root: Path) -> Case:
    folder = root / ID
    media = folder / "media"
    media.mkdir(parents=True, exist_ok=True)
    probe = phased_probe()
    disp = fit_display(probe)
    write_poster(
        media / "patient.png",
        "Emergency department · simulated patient",
        "Margaret Lewis, 62",
        [
            "Female, lung cancer on chemotherapy",
            "A week of worsening breathlessness",
            "Dizzy on standing since this morning",
        ],
        "Synthetic case: names and images are simulated",
    )

    heart = PlaxScene(effusion_post_mm=24, effusion_ant_mm=5, rv_collapse_mm=7, swing_mm=4, seed=21)
    bm = BMode(probe, disp, seed=201, marker_right=True)
    plax = render.clip(
        folder,
        "media/plax.mp4",
        bm,
        heart,
        "plax",
        "Parasternal long axis",
        heart.loop_s,
        with_size=True,
        description=(
            "Parasternal long-axis B-mode clip of the heart, phased-array probe; right ventricle "
            "near the top, left ventricle, mitral and aortic valves below it"
        ),
    )
    strip, _ = render.mmode(
        folder,
        "media/plax_mmode.png",
        BMode(probe, disp, seed=201),
        heart,
        "mmode",
        "M-mode through the RV, septum and LV",
        at=-3.0,
        seconds=2.88,
        px_per_s=100,
        description=(
            "M-mode strip along a cursor from the chest wall through the right ventricle, the "
            "septum and the left ventricle; time runs from left to right"
        ),
    )
    # end-diastole still with the effusion measured behind the LV
    t_ed = 0.0
    top, bottom = heart.posterior_effusion(t_ed, -25.0)
    depth_mm = bottom[1] - top[1]
    (x0, y0), (x1, y1) = render.to_px(bm, [top, bottom])
    overlay = {
        "from": [round(x0), round(y0)],
        "to": [round(x1), round(y1)],
        "label": f"{depth_mm / 10:.1f} cm",
    }
    size_still, _ = render.still(
        folder,
        "media/plax_measured.png",
        bm,
        heart,
        "measured",
        "Parasternal long axis, end-diastole, effusion measured",
        t=t_ed,
        overlays=[overlay],
        description=(
            "Parasternal long-axis B-mode still frame at end-diastole, with one caliper line "
            "drawn and its length shown"
        ),
    )
    ax, az, ar = heart.descending_aorta(heart.beat_s * 0.5)
    aorta_px = bm.display.to_px(ax, az)
    aorta_region = circle("descending-aorta", aorta_px, (ar + 5.0) * bm.display.scale)
    la_region = circle(
        "left-atrium", bm.display.to_px(*heart.to_screen(44.0, 88.0, 0.0)), 12.0 * bm.display.scale
    )

    vitals_0 = {
        "HR": "118/min",
        "BP": "92/74 mmHg",
        "RR": "26/min",
        "SpO2": "94 % (air)",
        "Pulsus paradoxus": "18 mmHg",
    }
    labs = {
        "Hb": "11.2 g/dL",
        "Creatinine": "1.3 mg/dL",
        "Lactate": "2.9 mmol/L",
        "ECG": "sinus tachycardia, low voltage, electrical alternans",
    }
    vitals_1 = {
        "HR": "134/min",
        "BP": "74/60 mmHg",
        "RR": "30/min",
        "SpO2": "90 % (4 L/min O2)",
        "Mental state": "drowsy",
    }

    kp_probe = KeyPoint(
        "kp-probe",
        "Before you scan",
        prompt="Phased-array probe, cardiac preset (marker on the right of the screen).",
        clinical_info={"vitals": vitals_0, "labs": labs},
        items=[
            single(
                "q-indication",
                "What is the focused question for this scan?",
                [
                    ("tamponade", "Is there a pericardial effusion, and is it causing tamponade?"),
                    ("ef", "What is her exact left ventricular ejection fraction?"),
                    ("valves", "Which valve lesion explains her murmur?"),
                    ("metastases", "Are there cardiac metastases?"),
                ],
                "tamponade",
                ["pathologies", "indication"],
                "Hypotension with a narrow pulse pressure, raised neck veins, quiet heart "
                "sounds, pulsus paradoxus, low voltage and electrical alternans in a patient "
                "with cancer point to a pericardial effusion with tamponade. Point-of-care "
                "ultrasound answers focused yes/no questions that change management now; "
                "exact ejection fraction, valve grading or tumour detection belong to a "
                "comprehensive echocardiogram.",
            ),
            single(
                "q-plax-position",
                "Where do you place the probe for the parasternal long-axis view?",
                [
                    (
                        "right-shoulder",
                        "Left parasternal, 3rd-4th intercostal space, marker "
                        "towards the right shoulder",
                    ),
                    (
                        "left-shoulder",
                        "Left parasternal, 3rd-4th intercostal space, marker "
                        "towards the left shoulder",
                    ),
                    ("subxiphoid", "Subxiphoid, marker towards the patient's left"),
                    ("apex", "At the apex beat, marker towards the left axilla"),
                ],
                "right-shoulder",
                ["views", "acquisition"],
                "The parasternal long axis is taken just left of the sternum in the 3rd or "
                "4th intercostal space with the marker towards the right shoulder (cardiac "
                "preset). Rotating 90 degrees clockwise, towards the left shoulder, gives the "
                "parasternal short axis; the subxiphoid and apical positions give the "
                "subcostal and apical four-chamber views.",
            ),
        ],
    )

    kp_plax = KeyPoint(
        "kp-plax",
        "Parasternal long axis",
        media=[plax],
        items=[
            single(
                "q-plax-finding",
                "What does the clip show?",
                [
                    ("pericardial", "A large pericardial effusion surrounding the heart"),
                    ("pleural", "A left pleural effusion"),
                    ("fat", "An epicardial fat pad"),
                    ("normal", "A normal heart"),
                ],
                "pericardial",
                ["findings", "interpretation"],
                "An anechoic (black) space surrounds the heart: in front of the right "
                "ventricle and, widest, behind the left ventricle, between the bright "
                "pericardium and the LV wall. The heart swings within it. A fat pad is "
                "usually anterior only and has some internal echoes; it does not wrap around "
                "the back of the heart.",
            ),
            single(
                "q-pericardial-vs-pleural",
                "How can you tell that the fluid behind the LV is pericardial, not pleural?",
                [
                    (
                        "anterior",
                        "It lies in front of the descending aorta and stops at the "
                        "atrioventricular groove",
                    ),
                    ("posterior", "It extends behind the descending aorta"),
                    ("black", "It is completely black"),
                    ("moves", "It changes size with respiration"),
                ],
                "anterior",
                ["anatomy", "interpretation"],
                "In the parasternal long axis the descending thoracic aorta is the round "
                "structure behind the left atrium. The pericardial reflection passes in front "
                "of it, so pericardial fluid tracks anterior to the aorta and tapers at the "
                "AV groove; a left pleural effusion lies posterior to the aorta. Both "
                "collections are anechoic, and both can vary with breathing.",
            ),
            hotspot(
                "q-descending-aorta",
                "Click on the descending thoracic aorta.",
                "plax",
                [aorta_region, la_region],
                ["descending-aorta"],
                ["anatomy", "interpretation"],
                "The descending thoracic aorta is the round anechoic structure behind the "
                "left atrium, near the atrioventricular groove, outside the pericardium. The "
                "left atrium lies in front of it, below the aortic root. It is the landmark "
                "that separates pericardial from pleural fluid.",
            ),
        ],
    )

    kp_mmode = KeyPoint(
        "kp-rv",
        "M-mode through the right ventricle",
        prompt="The M-mode cursor crosses the RV free wall, the septum and the LV.",
        layout="together",
        media=[strip],
        items=[
            single(
                "q-rv-wall",
                "What does the right ventricular free wall do?",
                [
                    ("diastolic", "It moves inwards, collapsing the RV, in early diastole"),
                    ("normal", "It moves outwards in diastole as the RV fills, as normal"),
                    ("systolic", "It collapses only in systole"),
                    ("still", "It does not move"),
                ],
                "diastolic",
                ["findings", "interpretation"],
                "Normally the RV fills and its free wall moves outwards in diastole. When the "
                "pressure in the pericardium exceeds the pressure in the RV in early "
                "diastole, the thin free wall is pushed in: RV diastolic collapse, a specific "
                "sign of tamponade. M-mode shows its timing against the cardiac cycle better "
                "than the eye can in 2D.",
            ),
            multiple(
                "q-tamponade-signs",
                "Which other findings support tamponade physiology? Select all that apply.",
                [
                    ("ivc", "A plethoric IVC that does not collapse on inspiration"),
                    ("ra", "Right atrial collapse lasting more than a third of systole"),
                    ("inflow", "Exaggerated respiratory variation of mitral inflow on Doppler"),
                    ("small-ivc", "A small IVC that collapses completely on inspiration"),
                    ("dilated-lv", "A dilated, poorly contracting LV"),
                ],
                ["ivc", "ra", "inflow"],
                ["pathologies", "interpretation"],
                "Tamponade raises right-sided filling pressure (plethoric, non-collapsing "
                "IVC: very sensitive, not specific), compresses the low-pressure chambers "
                "(right atrial systolic and RV diastolic collapse) and exaggerates "
                "ventricular interdependence (large respiratory variation of inflow, the "
                "echo counterpart of pulsus paradoxus). A small collapsing IVC makes "
                "tamponade very unlikely; a dilated poor LV suggests another cause of shock.",
                scoring="partial",
            ),
        ],
    )

    kp_size = KeyPoint(
        "kp-size",
        "Size of the effusion",
        prompt="Your colleague froze an end-diastolic frame and measured the effusion.",
        media=[size_still],
        items=[
            single(
                "q-size",
                "How do you grade this effusion?",
                [
                    ("large", "Large: more than 2 cm in diastole"),
                    ("moderate", "Moderate: 1-2 cm"),
                    ("small", "Small: less than 1 cm"),
                    ("trivial", "Trivial: visible in systole only"),
                ],
                "large" if depth_mm > 20 else "moderate",
                ["artifacts", "interpretation"],
                "Effusions are measured in diastole as the widest echo-free space: under 1 cm "
                "small, 1 to 2 cm moderate, over 2 cm large. Size is not the same as "
                "tamponade: a small effusion that gathers quickly can cause tamponade, a large "
                "chronic one may not. Here the collapse of the RV shows the physiology.",
            ),
            single(
                "q-cause",
                "From the ultrasound, what is the cause of the effusion?",
                [
                    ("malignant", "Malignant effusion"),
                    ("uraemic", "Uraemic pericarditis"),
                    ("purulent", "Purulent bacterial pericarditis"),
                ],
                "not_possible",
                ["limits", "mdm"],
                "Her cancer makes a malignant effusion likely, but ultrasound cannot tell "
                "the cause: fibrin strands and echogenic fluid occur in malignant, purulent, "
                "haemorrhagic and inflammatory effusions alike. The cause comes from the "
                "fluid itself (cytology, culture, haematocrit) and the clinical picture.",
                not_possible=True,
            ),
        ],
    )

    kp_decision = KeyPoint(
        "kp-decision",
        "She deteriorates",
        clinical_info={"vitals": vitals_1},
        items=[
            single(
                "q-action",
                "What do you do now?",
                [
                    ("drain", "Urgent pericardiocentesis under ultrasound guidance"),
                    ("diuretic", "Intravenous furosemide for her breathlessness"),
                    ("ct", "CT of the chest to stage the cancer first"),
                    ("complete", "Complete a full echo with all views before deciding"),
                ],
                "drain",
                ["pathologies", "mdm"],
                "Tamponade with falling blood pressure and reduced consciousness is an "
                "obstructive shock that is relieved only by draining the pericardium. "
                "Diuretics and vasodilators lower the preload she depends on and can "
                "precipitate arrest; give fluid while preparing. The exam already answered "
                "the question: finishing every view or going to CT delays the treatment.",
            ),
        ],
        branches=[branch("drainage", item="q-action", equals="drain")],
    )

    kp_approach = KeyPoint(
        "kp-approach",
        "Planning the drain",
        items=[
            single(
                "q-site",
                "How do you choose the needle entry site?",
                [
                    (
                        "us",
                        "Where ultrasound shows the largest collection closest to the skin, "
                        "with no lung, liver or vessel in the path",
                    ),
                    ("blind", "Always subxiphoid, aiming blindly at the left shoulder"),
                    ("sternum", "The 5th left intercostal space 1 cm from the sternum"),
                    ("posterior", "Where the effusion is deepest, behind the LV"),
                ],
                "us",
                ["anatomy", "acquisition"],
                "Ultrasound-guided pericardiocentesis uses the site where the fluid is "
                "deepest and nearest the skin, with a straight path that avoids lung, liver "
                "and the internal thoracic artery (about 1 cm from the sternal edge). That is "
                "often apical or left parasternal rather than subxiphoid. Posterior fluid is "
                "the deepest but cannot be reached safely from the front.",
            ),
        ],
    )

    presentation = Segment(
        "presentation",
        "Breathless and hypotensive: history",
        [
            "You are called to the emergency department to see Mrs Margaret Lewis, a 62 year "
            "old woman with metastatic lung cancer on chemotherapy.",
            "For a week she has become more and more breathless, and this morning she felt faint "
            "when she stood up.",
            "Her heart rate is 118, blood pressure 92 over 74, respiratory rate 26, and oxygen "
            "saturation 94 percent on room air.",
            "Her neck veins are distended, her heart sounds are quiet, and her systolic pressure "
            "falls by 18 millimetres of mercury on inspiration.",
            "The electrocardiogram shows sinus tachycardia with low voltage, and the QRS height "
            "alternates from beat to beat.",
            "You take the ultrasound machine to the bedside.",
            kp_probe,
            "You place the phased-array probe on her chest.",
        ],
        next="echo",
        poster="media/patient.png",
    )

    echo = Segment(
        "echo",
        "Focused cardiac ultrasound",
        [
            "You obtain a parasternal long-axis view.",
            kp_plax,
            "You place the M-mode cursor across the right ventricle and the left ventricle.",
            kp_mmode,
            "A colleague freezes an end-diastolic frame and measures the fluid behind the left "
            "ventricle.",
            kp_size,
            "While you are scanning, the nurse tells you the blood pressure is now 74 over 60 "
            "and Mrs Lewis has become drowsy.",
            kp_decision,
            "You decide to give furosemide and complete the examination first.",
            "Within minutes her blood pressure falls to 60 systolic and her heart rate slows.",
            "The cardiology registrar arrives and prepares an emergency pericardiocentesis.",
        ],
        next="drainage",
        poster="media/patient.png",
    )

    drainage = Segment(
        "drainage",
        "Pericardiocentesis",
        [
            "An emergency pericardiocentesis is prepared with ultrasound guidance.",
            kp_approach,
            "Six hundred millilitres of blood-stained fluid are drained through a pigtail "
            "catheter.",
            "Her blood pressure rises to 112 over 76 and she becomes alert again.",
            "The fluid is sent for cytology, and she is admitted to the cardiology unit.",
        ],
        poster="media/patient.png",
    )

    segments = [presentation, echo, drainage]
    return assemble(
        ID,
        "tools/make_media/library/cardiac_tamponade.py",
        segments,
        title="Breathless and hypotensive with cancer",
        clinical_area="cardiac",
        time_limit_minutes=20,
        cut_score=70,
        show_results=True,
        summary="A woman with lung cancer, breathless and hypotensive. Find the cause with "
        "a focused cardiac scan, recognise tamponade physiology, and act on it.",
    )
