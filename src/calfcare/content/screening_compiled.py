"""Generated from data/screening.toml by `python -m calfcare.content.screening_wording --write`.

Do not edit: edit the TOML and regenerate (see screening_wording.py)."""
# fmt: off

from typing import Any

KEY = '3464cdb563445c573e76c8a6425e4ebe611e2cee'

WORDING: dict[str, Any] = {'general': [{'id': 'pe_signs',
              'question': 'Do you have sudden breathlessness, chest pain that is worse when you '
                          'breathe in, coughing up blood, or have you fainted?',
              'why': 'Leg pain or swelling together with breathlessness or chest pain can mean a '
                     'blood clot has reached the lungs (pulmonary embolism). That is an emergency.',
              'finding': 'You have breathlessness, chest pain, coughing up blood or fainting: '
                         'these can be signs of a blood clot in the lungs (pulmonary embolism).',
              'sources': ['nhs-dvt']},
             {'id': 'clot_suspected',
              'question': 'Do you, or a clinician, suspect a blood clot in a leg that has not been '
                          'ruled out?',
              'why': 'The article names the presence or suspicion of a deep vein thrombosis as the '
                     'most significant reason never to massage: pressure can dislodge a clot.',
              'finding': 'A blood clot in a leg is suspected and has not been ruled out.',
              'sources': ['seed-safety']},
             {'id': 'clot_diagnosed',
              'question': 'Have you been diagnosed with a blood clot (DVT) in a leg that is still '
                          'being treated or was found in the last 6 months?',
              'why': 'Massaging a leg with a clot can move it towards the lungs, so calf massage '
                     'waits until your care team says the clot has resolved.',
              'finding': 'You have a blood clot (DVT) in a leg that is still being treated or was '
                         'found in the last 6 months.',
              'sources': ['seed-safety']},
             {'id': 'fever_or_unwell',
              'question': 'Do you have a fever or feel acutely unwell today?',
              'why': 'When you are acutely unwell, massage waits until you are well again. This is '
                     'a calfcare precaution.',
              'finding': 'You have a fever or feel acutely unwell today.',
              'sources': ['contract']},
             {'id': 'anticoagulants',
              'question': 'Do you take blood-thinning medicine (for example warfarin, apixaban, '
                          'rivaroxaban, heparin)?',
              'why': 'Blood thinners make bruising and bleeding in the muscle more likely, so the '
                     'article advises care and a word with a healthcare provider before deep '
                     'tissue work.',
              'finding': 'You take blood-thinning medicine: deep pressure can cause bruising or '
                         'bleeding.',
              'sources': ['seed-safety', 'nccih-massage']},
             {'id': 'bleeding_disorder',
              'question': 'Do you have a bleeding disorder or low platelets, or bruise very '
                          'easily?',
              'why': 'With a bleeding disorder or low platelets, forceful or deep massage can '
                     'cause bleeding into the muscle.',
              'finding': 'You have a bleeding disorder, low platelets, or bruise very easily.',
              'sources': ['nccih-massage']},
             {'id': 'poor_sensation_or_circulation',
              'question': 'Do you have numbness or poor circulation in your lower legs (for '
                          'example diabetic neuropathy, peripheral arterial disease)?',
              'why': 'If you cannot feel your calves well, you cannot tell when pressure is too '
                     'much; poor circulation makes the skin and tissue easier to harm. This is a '
                     'calfcare precaution.',
              'finding': 'You have numbness or poor circulation in your lower legs, so you may not '
                         'feel when pressure is too much.',
              'sources': ['contract']},
             {'id': 'recent_surgery_or_immobility',
              'question': 'In the last 12 weeks, have you had surgery, a plaster cast on a leg, or '
                          'been in bed or mostly immobile for 3 days or more?',
              'why': 'Surgery, a cast and lying still for days are known risk factors for blood '
                     'clots in the legs.',
              'finding': 'Surgery, a leg cast or being immobile in the last 12 weeks raises the '
                         'chance of a blood clot.',
              'sources': ['wells']},
             {'id': 'long_journey',
              'question': 'In the last 4 weeks, have you travelled for more than 3 hours in one go '
                          '(plane, car, train, bus)?',
              'why': 'The NHS lists a long journey (more than 3 hours) as a temporary risk factor '
                     'for blood clots in the legs.',
              'finding': 'A journey of more than 3 hours in the last 4 weeks raises the chance of '
                         'a blood clot.',
              'sources': ['nhs-dvt']},
             {'id': 'pregnant_or_postpartum',
              'question': 'Are you pregnant, or did you give birth in the last 6 weeks?',
              'why': 'Pregnancy and the 6 weeks after giving birth raise the chance of blood clots '
                     'in the legs.',
              'finding': 'Pregnancy, or giving birth in the last 6 weeks, raises the chance of a '
                         'blood clot.',
              'sources': ['nhs-dvt', 'case-reports-pe']},
             {'id': 'active_cancer',
              'question': 'Do you have cancer, or have you had cancer treatment in the last 6 '
                          'months?',
              'why': 'Active cancer and recent cancer treatment are known risk factors for blood '
                     'clots.',
              'finding': 'Cancer, or cancer treatment in the last 6 months, raises the chance of a '
                         'blood clot.',
              'sources': ['wells']},
             {'id': 'previous_clot',
              'question': 'Have you ever had a DVT or a pulmonary embolism?',
              'why': 'A previous clot is one of the strongest risk factors for another.',
              'finding': 'A previous DVT or pulmonary embolism raises the chance of another clot.',
              'sources': ['wells', 'case-reports-pe']}],
 'leg': [{'id': 'swelling',
          'question': 'Has your {calf}, ankle or lower leg swollen recently, without an injury to '
                      'explain it?',
          'why': 'Sudden swelling in one leg is a sign of a blood clot (DVT). Massage could '
                 'dislodge it.',
          'finding': 'Your {calf} or lower leg has swollen recently without an injury to explain '
                     'it: a possible sign of a blood clot (DVT).',
          'sources': ['seed-safety', 'nhs-dvt']},
         {'id': 'redness',
          'question': 'Is the skin of your {calf} red or darker than usual, for no reason you know '
                      'of (not sunburn, not a wound)?',
          'why': 'Red or darkened skin in one leg is a sign of a blood clot. On brown or black '
                 'skin it may be harder to see, so look for any change from your usual colour.',
          'finding': 'The skin of your {calf} is red or darker than usual for no known reason: a '
                     'possible sign of a blood clot (DVT).',
          'sources': ['seed-safety', 'nhs-dvt']},
         {'id': 'warmth',
          'question': 'Does your {calf} feel warmer to the touch than the other one?',
          'why': 'Warmth in one leg only is a sign of a blood clot.',
          'finding': 'Your {calf} feels warmer than the other one: a possible sign of a blood clot '
                     '(DVT).',
          'sources': ['seed-safety', 'nhs-dvt']},
         {'id': 'hard_veins',
          'question': 'Are there swollen veins on your {calf} that feel hard or sore?',
          'why': 'Swollen veins that are hard or sore to touch are a sign of a blood clot.',
          'finding': 'Your {calf} has swollen veins that feel hard or sore: a possible sign of a '
                     'blood clot (DVT).',
          'sources': ['nhs-dvt']},
         {'id': 'pain',
          'question': 'Do you have pain, aching or tenderness in your {calf}?',
          'why': 'Soreness after exercise is what massage is for, but pain in one calf without a '
                 'reason can be a sign of a blood clot.',
          'finding': 'You have pain, aching or tenderness in your {calf}.',
          'sources': ['seed-safety', 'nhs-dvt']},
         {'id': 'pain_after_exercise',
          'question': 'Did that pain in your {calf} start within 3 days after a hard or '
                      'unaccustomed workout, and is it easing?',
          'why': 'Muscle soreness after a hard workout peaks within a few days and then eases. '
                 'Pain that came without a workout, or is not easing, needs another explanation.',
          'finding': 'The pain in your {calf} did not clearly start after a workout and ease.',
          'sources': ['seed-benefits', 'nhs-dvt']},
         {'id': 'open_wound',
          'question': 'Is there a cut, graze, blister, ulcer or other open wound on your {calf}?',
          'why': 'Pressure on an open wound can make it worse or let infection in.',
          'finding': 'There is an open wound on your {calf}.',
          'sources': ['seed-safety']},
         {'id': 'skin_infection',
          'question': 'Is there a skin infection or contagious rash on your {calf}?',
          'why': 'Massage can spread a skin infection.',
          'finding': 'There is a skin infection or contagious rash on your {calf}.',
          'sources': ['seed-safety']},
         {'id': 'acute_inflammation',
          'question': 'Is part of your {calf} acutely inflamed from a known cause (for example a '
                      'flare of a known condition, an infected bite)?',
          'why': 'Pressure on acutely inflamed tissue can increase the swelling.',
          'finding': 'Part of your {calf} is acutely inflamed.',
          'sources': ['seed-safety']},
         {'id': 'recent_injury',
          'question': 'In the last 6 weeks, have you injured this lower leg (muscle tear or '
                      'strain, fracture, sprain, deep bruise)?',
          'why': 'Massage on a recent muscle tear, fracture or deep bruise can worsen the injury.',
          'finding': 'You injured your lower leg (the {calf} side) in the last 6 weeks.',
          'sources': ['seed-safety']},
         {'id': 'severe_varicose_veins',
          'question': 'Are there severe varicose veins on your {calf}?',
          'why': 'The article advises care, and a word with a healthcare provider, before deep '
                 'tissue work over severe varicose veins.',
          'finding': 'There are severe varicose veins on your {calf}: deep pressure there is not '
                     'advised.',
          'sources': ['seed-safety']}],
 'pain_rules': {'unexplained_pain_one_calf': 'Pain in only your {calf}, without a workout to '
                                             'explain it, can be a sign of a blood clot (DVT).',
                'unexplained_pain_both_calves': 'Both calves hurt without a workout to explain it. '
                                                'Clots are rarely in both legs, but see a '
                                                'clinician if the pain persists.',
                'pain_with_clot_risk': 'Pain in only your {calf}, together with a risk factor for '
                                       'blood clots, can be a sign of a blood clot (DVT).'},
 'unsure_note': 'You were not sure, and calfcare counts "unsure" as the less reassuring answer, to '
                'be safe.',
 'advice': {'ok': {'headline': 'Nothing found against calf self-massage',
                   'text': 'Nothing in your answers speaks against massaging your calves today, at '
                           'any intensity. Stop at once if a technique causes severe, sharp pain '
                           'beyond normal muscle tenderness, and seek professional advice.',
                   'sources': ['seed-safety']},
            'caution': {'headline': 'Gentle work only',
                        'text': 'You can massage, gently: no deep tissue work (no crossing the '
                                'other leg over for extra weight, no sustained thumb or knuckle '
                                'pressure, no active release). Consult a healthcare provider '
                                'before any deep work. Stop at once if it causes severe, sharp '
                                'pain.',
                        'sources': ['seed-safety', 'nccih-massage']},
            'avoid': {'headline': 'Do not massage this calf for now',
                      'text': 'Do not massage the calf (or calves) named below until it has '
                              'healed, or until you are well. Seek advice from a healthcare '
                              'provider if it does not improve.',
                      'sources': ['seed-safety']},
            'urgent': {'headline': 'Do not massage. Get medical attention today',
                       'text': 'Do not massage either calf. Your answers include a possible sign '
                               'of a blood clot (deep vein thrombosis), and pressure can dislodge '
                               'a clot. Get medical attention today: ask for an urgent appointment '
                               'with your doctor, or call your local urgent medical help line (NHS '
                               '111 in the UK). If you become breathless or have chest pain, call '
                               'your local emergency number now.',
                       'sources': ['seed-safety', 'nhs-dvt']},
            'emergency': {'headline': 'Call your local emergency number now',
                          'text': 'Call your local emergency number now (999 in the UK, 112 in the '
                                  'EU, 911 in the US). Breathlessness or chest pain can mean a '
                                  'blood clot has reached the lungs, which is life-threatening. Do '
                                  'not massage. Do not drive yourself: ask someone to drive you, '
                                  'or call for an ambulance.',
                          'sources': ['nhs-dvt', 'seed-safety']}}}
