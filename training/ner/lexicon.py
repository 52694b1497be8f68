"""Word lists written for Safeside: the shipped gazetteer and training-only fillers.

All names here are common given names/surnames or invented places; none is taken from
the dev set. The fictional towns of the dev set (Northdale, Eastbrook, Kingsmoor, ...)
are deliberately absent so that the dev scores measure generalisation.
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


# --- shipped gazetteer (goes into the model file) ---------------------------------

FIRST_NAMES = _words("""
Aaliyah Aaron Abdul Abigail Adam Adrian Ahmed Aidan Aisha Alana Alex Alexander Alfie Ali
Alice Alicia Alisha Amara Amber Amelia Amir Amy Andrew Angela Anna Annie Archie Arlo Arthur
Ashley Aurora Ava Ayesha Bailey Becky Bella Ben Benjamin Beth Bethany Billy Bobby Bonnie
Brandon Brooke Bethan Caitlin Callum Cameron Carl Carly Caroline Carol Cerys Charlie Charlotte
Chelsea Chloe Chris Christine Ciara Claire Connor Corey Courtney Craig Daisy Dale Damian Dan
Daniel Danielle Darren Dave David Dawn Dean Declan Demi Denise Dev Dexter Dylan Eden Edward
Eleanor Elijah Eliza Ella Ellie Elliot Eloise Elsie Emily Emma Erin Ethan Eva Evan Evie Ezra
Faith Fatima Finley Finn Fiona Florence Francesca Frank Freddie Freya Gabriel Gary Gemma George
Georgia Grace Gracie Graham Hannah Harley Harper Harriet Harrison Harry Harvey Hassan Hayley
Heather Helen Henry Holly Hope Hugo Ibrahim Imogen Isaac Isabel Isabella Isla Ivy Jack Jackson
Jacob Jade Jake James Jamie Jason Jasmine Jay Jayden Jenna Jennifer Jenny Jess Jessica Joanne
Joe Joel John Jordan Joseph Josh Joshua Julie Kacey Kai Karen Karl Kate Katie Kayden Kayla
Keeley Keira Kelly Kerry Kevin Kian Kieran Kim Kirsty Kyle Lacey Laila Lauren Layla Leah Lee
Leo Leon Lewis Liam Lily Lisa Logan Lola Louie Louis Louise Lucas Lucy Luke Luna Lydia Maddison
Maisie Maria Mark Martin Mary Mason Matilda Matthew Max Maya Megan Mia Michael Michelle Millie
Mohammed Molly Muhammad Nadia Naomi Nathan Niamh Nicola Nina Noah Nora Oliver Olivia Omar Oscar
Owen Paige Patrick Paul Penny Peter Phoebe Piper Poppy Priya Rachel Rebecca Reece Reggie Rhys
Riley Robert Robyn Rocky Rory Rose Rosie Ruby Ryan Sadie Sam Samantha Samuel Sara Sarah Scarlett
Sean Shannon Sharon Shauna Sienna Skye Sofia Sophie Stacey Stephen Steve Summer Susan Tanya Teddy
Thea Theo Thomas Tia Tilly Toby Tom Tommy Tracey Tyler Vicky Victoria Wayne Will William Willow
Yasmin Yusuf Zac Zach Zain Zara Zoe Kwame Chidi Femi Tunde Ade Ngozi Chioma Sana Imran Bilal
Zainab Maryam Hamza Yousef Kacper Jakub Oliwia Zofia Mateusz Lena Nikola Dominik Shanice Tyrone
Marcus Jermaine Aliyah Reuben Ollie Alfred Stanley Ronnie Albie Jude Rowan Ellis Nancy Edie
Mabel Hallie Lexi Darcy Maddie Amelie Aria Iris Jasper Otis Rafferty Kenzie Macie
""")

SURNAMES = _words("""
Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson
Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Clark Patel Jackson Wood
Turner Martin Cooper Hill Ward Morris Moore King Watson Baker Harrison Morgan Young Allen
Mitchell Anderson Lee Bell Parker Scott Kelly Davis Bennett Griffiths Cook Carter Shaw
Richardson Collins Price Murphy Cox Bailey Phillips Ellis Marshall Chapman Mason Webb Rogers
Gray Grant Hunt Palmer Holmes Mills Barnes Knight Butler Russell Fisher Stevens Jenkins Murray
Dixon Harvey Graham Pearson Ahmed Khan Ali Hussain Begum Akhtar Shah Iqbal Okafor Adeyemi
Mensah Owusu Nowak Kowalski Wisniewski Hendry Doyle Quinn Brennan Walsh Byrne Gallagher
O'Brien O'Neill Murray Fraser Reid Campbell Stewart Henderson
Foster Barker Lawson Fletcher Armstrong Spencer Gibson Hayes Burton Booth Wells Hart Holland
Lowe Fox Hudson Kaur Singh Sharma Chowdhury Rahman Uddin Nguyen Wong Chen
""")

TITLES = _words("""
mr mrs ms miss mx dr prof judge sir dame lord lady rev reverend cllr councillor pc dc sgt
mister missus nan nanna nana nanny gran granny grandad auntie aunty uncle
""")

LOC_SUFFIXES = _words("""
road rd street lane ln avenue ave drive close crescent grove gardens terrace place square
row walk rise mews hill green estate park parade wharf quay fields heath centre center hub
hospital infirmary library refuge stadium arena baths precinct market station church chapel
mosque gurdwara temple flats tower towers way
""")

SCHOOL_SUFFIXES = _words("""
primary academy high school nursery college infants juniors junior secondary grammar
preschool pre-school montessori
""")

ORG_SUFFIXES = _words("""
council court team service services trust authority police constabulary agency partnership
board tribunal ltd limited plc unit department dept cabs taxis charity foundation
association society union ministry group futures solicitors
""")

KNOWN_ORGS = _words("""
cafcass camhs dwp basw ofsted nspcc barnardo's barnardos hmrc dvla nhs rspca mind samaritans
""")


def gazetteer() -> dict[str, list[str]]:
    """The word lists shipped in the model, by feature class."""
    return {
        "title": TITLES,
        "sch": SCHOOL_SUFFIXES,
        "org": ORG_SUFFIXES,
        "loc": LOC_SUFFIXES,
        "korg": KNOWN_ORGS,
        "first": FIRST_NAMES,
        "sur": SURNAMES,
    }


# --- training-only fillers (never shipped) ----------------------------------------

#: Given names deliberately left out of the gazetteer, so context features must work.
EXTRA_FIRST = _words("""
Brogan Tiegan Kaydon Rylee Bradley Lennox Kobe Macey Kenzo Arian Nyla Tiana Jaxon Brody
Keelan Shay Ashton Mackenzie Elsa Nevaeh Oakley Kimberley Jolene Dionne Shelby Trinity Keanu
Deacon Presley Romeo Cody Aston Lyla Ayla Marley Kobi Esme Orla Ffion Dafydd Eilidh Morag
Grainne Siobhan Ruairi Oisin Tomasz Agnieszka Bartek Emre Yaw Kofi Abena Segun Temi Bisi
Jamal Idris Farah Rukhsana Tariq Aamir Anjali Deepa Ravi Arjun Vikram Kiran Mei Jun Hiro
Storm Sky Blessing Precious Destiny Honey Autumn Star River Hunter Chase Brooklyn Phoenix
""")

EXTRA_SURNAMES = _words("""
Ashworth Blackwood Cartwright Dunmore Eckersley Fairbairn Gilchrist Hargreaves Ingram Jessop
Kershaw Lockwood Mottram Naylor Ormerod Pickles Quigley Ramsbottom Sutcliffe Thwaite Umpleby
Varley Whitworth Yardley Oyelaran Nwosu Babatunde Mahmood Siddiqui Malik Zielinski Lewandowski
Popescu Horvat Kovacs Petrovic Mullen Keane Devlin Gormley Tierney McAllister McBride Lindqvist
""")

_TOWN_HEADS = _words("""
Ash Bram Cal Dun Elm Fen Glen Hal Ing Kel Lang Marl Nether Old Pen Quar Red Sel Thorn Ux
Wal Yar Brad Cold Stan Bur Ald Hep Rad Mar Scar Whit Black Cran Drax Gres Hex Irk Lox Nor
""")
_TOWN_TAILS = _words("""
ford ley ton bury wick thorpe by worth ham stead well den combe field moor dale bridge gate
minster sey ington borough caster mouth
""")
#: Town names to avoid because the dev set uses them.
_AVOID = {"northdale", "eastbrook", "kingsmoor", "millbrook", "hollinfield", "westmoor"}


def towns() -> list[str]:
    """Invented UK-sounding town names ("Bramworth", "Selthorpe")."""
    out = [h + t for h in _TOWN_HEADS for t in _TOWN_TAILS]
    return [t for t in out if t.lower() not in _AVOID]


#: Words that start street, estate, park and school names.
PLACE_WORDS = _words("""
Acacia Alder Aspen Badger Bank Birch Blenheim Bluebell Bracken Bramble Brunswick Cedar Chapel
Cherry Chestnut Church Clover Coronation Cromwell Daisy Dene Foxglove Garden Gladstone Hawthorn
Hazel Heather High Holly Juniper Kestrel Laburnum Lark Laurel Lavender Lilac Linden Magpie Manor
Maple Marigold Meadow Mulberry Nelson Oak Poplar Priory Queens Regent Ridge Robin Sandy School
Sidings Spring Sycamore Tannery Thistle Valley Victoria Wharf Windmill Wren Yew Albert Alexandra
Beacon Bishops Canal Castle Claremont Copper Crown Dockside Eldon Foundry Granby Harbour Ivy
Jubilee Kings Lime Marsh Moss Orchid Park Pinfold Quarry Railway Riverside Saxon Sunny Tudor
Union Vicarage Waterloo Weavers Wellington Westfield
""")

#: Saints for "St X's Primary" / "St X's Church".
SAINTS = _words(
    "Anne's Joseph's Peter's Paul's Luke's Mark's John's Chad's Aidan's Hilda's Wilfrid's Cuthbert's Teresa's Patrick's Michael's"
)

STREET_TYPES = _words(
    "Road Road Road Street Street Lane Lane Avenue Drive Close Close Crescent Grove Gardens Terrace Way Way Walk Rise Mews Place View Row"
)
ESTATE_TYPES = ["estate", "estate", "Estate", "flats", "Park estate"]
PARK_TYPES = ["Park", "Park", "park", "Recreation Ground", "Fields", "woods", "rec"]
VENUE_TYPES = [
    "Community Centre",
    "community centre",
    "Leisure Centre",
    "leisure centre",
    "family hub",
    "Family Hub",
    "children's centre",
    "Children's Centre",
    "Library",
    "library",
    "refuge",
    "Retail Park",
    "Shopping Centre",
    "bus station",
    "train station",
    "Asda",
    "Tesco",
    "Aldi",
    "McDonald's",
    "General Hospital",
    "Hospital",
    "hospital",
    "Youth Club",
    "youth club",
    "skatepark",
    "Methodist Church",
    "Mosque",
]
SCHOOL_TYPES = [
    "Primary",
    "Primary",
    "Primary School",
    "primary",
    "Academy",
    "Academy",
    "High",
    "High School",
    "high",
    "Nursery",
    "nursery",
    "College",
    "Infants",
    "Junior School",
    "Juniors",
    "Grammar",
    "Community College",
    "Sixth Form College",
    "Pre-School",
    "Day Nursery",
    "School",
]
ORG_TYPES = [
    "Council",
    "Council",
    "council",
    "Family Court",
    "Family Court",
    "County Court",
    "Magistrates Court",
    "Crown Court",
    "youth offending team",
    "Youth Offending Team",
    "children's services",
    "Children's Services",
    "social services",
    "Adult Social Care",
    "fostering team",
    "Fostering Service",
    "adoption service",
    "Police",
    "police",
    "Housing Trust",
    "Homes",
    "NHS Trust",
    "Women's Aid",
    "Food Bank",
    "Cabs",
    "Taxis",
    "MASH",
    "Early Help team",
    "leaving care team",
]
#: Real national bodies in their ordinary roles (as they would appear in any post).
NATIONAL_ORGS = [
    "Cafcass",
    "CAMHS",
    "camhs",
    "DWP",
    "BASW",
    "Ofsted",
    "NSPCC",
    "Barnardo's",
    "Social Work England",
    "HMRC",
    "DVLA",
    "Citizens Advice",
    "Shelter",
    "Samaritans",
    "Childline",
    "Action for Children",
    "Home Office",
    "Women's Aid",
    "Relate",
    "Home-Start",
    "NHS",
]
#: Made-up employers and charities.
PRIVATE_ORGS = [
    "Brightpath Care",
    "Fosterlink",
    "Safe Haven Fostering",
    "Kidsafe Partnership",
    "Harbour Housing",
    "Northern Star Homes",
    "Greenleaf Support",
    "Oasis Family Services",
    "Turning Point",
    "Stepping Stones Trust",
    "Ace Cars",
    "Hopewell Care Ltd",
]
#: Big cities: not LOCATION in Safeside (coarser than "where someone lives").
CITIES = _words(
    "Leeds Manchester Birmingham London Bradford Sheffield Liverpool Newcastle Bristol Glasgow Cardiff Nottingham"
)

#: Countries, regions and cities: coarser than Safeside's LOCATION, dropped at run time.
COARSE_PLACES = [
    *CITIES,
    *_words("""
UK England Scotland Wales Ireland Britain Europe America USA US Canada Australia France Spain
Italy Germany Poland Romania Portugal Greece Turkey India Pakistan Bangladesh Nigeria Ghana
Jamaica China Japan Africa Asia Dubai Tenerife Benidorm Ibiza Majorca Lanzarote Paris Rome
Amsterdam Berlin Madrid Dublin Belfast Edinburgh Aberdeen Dundee Swansea York Hull Leicester
Coventry Derby Stoke Wolverhampton Sunderland Preston Blackpool Bolton Wigan Oldham Rochdale
Huddersfield Wakefield Doncaster Rotherham Barnsley Middlesbrough Durham Carlisle Lancaster
Southampton Portsmouth Brighton Plymouth Exeter Norwich Ipswich Cambridge Oxford Reading Luton
Northampton Peterborough Lincoln Gloucester Bath Swindon Salford Stockport
Yorkshire Lancashire Essex Kent Surrey Cornwall Devon Cumbria Merseyside Midlands
"""),
    "New York",
    "Los Angeles",
    "Milton Keynes",
    "West Yorkshire",
    "South Yorkshire",
    "Greater Manchester",
    "the UK",
]

#: Apps, platforms and brands: the taxonomy does not label them ORG; dropped at run time.
BRANDS = _words("""
Facebook FB Instagram Insta TikTok Snapchat Snap WhatsApp Discord YouTube Twitter Xbox
PlayStation PS5 Netflix Google Amazon Apple iPhone Android Spotify Roblox Fortnite Minecraft
Telegram Signal Tinder Reddit Twitch LinkedIn Nike Adidas Gucci Primark
""")


# Added 2026-11-22 to the shipped gazetteer without retraining the weights (the
# gazetteer-class features already carry their learned weight): more UK given names and
# surnames across communities. Words in the tagger's common-word list were left out.
FIRST_NAMES += _words("""
Abdi Abdullah Abel Abi Abid Abimbola Ada Adaeze Addison Adeel Adele Adeola Adnan Aditi
Aditya Adrianna Afia Ahmad Aiden Ailsa Aimee Ainsley Aisling Aiza Ajay Akeem Akira Alanna
Alba Aleksander Aleksandra Alessia Alesha Alexa Alexis Alina Alistair Alya Amani Amaya
Amber-Rose Amina Aminata Amira Amrit Anaya Anais Aneesa Aniela Anika Anisa Annabel Annabelle
Anouska Ansel Antonia Anya Aoife Arfan Arran Asa Asha Asif Asma Astrid Atlas Aubrey Axel
Ayaan Ayman Ayo Ayodele Azra Bashir Bea Beau Bella-Rose Benji Blake Bobbi Bodhi Braxton
Brianna Bronwen Bronte Caleb Callie Calvin Carmen Carys Casey Cassie Cecily Chanel Chantelle
Chantal Charley Charmaine Cherelle Cheyenne Chiamaka Chibuike Chinedu Chipo Chivon Cian
Clara Cleo Conor Cora Cosmo Cruz Dakota Dalia Dami Damon Dana Dani Daniela Danny Dara Darcey
Darcie Dariusz Darnell Daryl Dawid Dayo Deano Deanna Deborah Delilah Demetri Denzel Deon
Deshawn Desiree Devon Dhruv Diane Dilan Dion Divya Dom Dominic Dominika Donna Dua Duncan
Ebony Efe Elif Elin Elora Emeka Emilia Emir Enzo Ewan Ezekiel Fallon Faris Farhan Farida Fay
Felix Filip Funmi Fynn Gabby Gabriela Garfield Gavin Gethin Gina Giorgia Gloria Gracie-Mae
Grayson Gurpreet Habib Hafsa Hajra Halima Haris Harlow Haroon Haruto Hasan Hattie Heidi
Hollie Humza Ibby Ifeoma Ifrah Igor Ikram Ilyas Iman Imani Inaaya Indie Ines Iona Irfan
Isaiah Ishaan Ismail Iyla Jacek Jada Jadon Jaiden Jalen Jamila Janelle Jax Jaz Jazmin Jed
Jemima Jodie Joey Jonah Jorge Josiah Jules Julia Kadeem Kaden Kairo Kaleb Kamal Kamil Kamran
Karim Karina Kasia Kayleigh Kaysha Kelsey Kemi Keisha Kezia Kezza Khadija Khalid Kiara Kiera
Kylie Kyra Laci Lacey-Mae Lamar Lana Latisha Leanne Leland Leila Leonie Levi Leyla Lila
Lilah Lily-Mae Lina Liv Lorcan Lucia Luka Lukas Madison Madeeha Mahnoor Maja Makayla Malachi
Malaika Mani Manon Mariam Marcel Mariana Marnie Marta Marwa Mateo Maxwell Mehmet Melissa
Micah Michaela Mikey Mila Milena Milo Mina Minnie Mirza Misha Mohamed Mohammad Monique Musa
Mustafa Myles Naeem Nailah Nasir Natalia Nathaniel Nayeli Neveah Nico Nikita Nisha Noor
Nuala Nylah Obi Ola Olamide Oona Osman Patryk Pawel Payton Pearl Percy Peyton Piotr Qasim
Rafael Raheem Rahul Raiden Rania Rashid Raya Rayan Reagan Rehan Remi Renee Rhea Rhiannon Ria
Ricky Rishi Riya Roan Rocco Roisin Ronan Roxanne Rufus Rumi Ruth Ryder Saanvi Sabrina Safa
Safiya Saffron Sahil Saif Saira Sakina Salma Sami Samir Samira Sanjay Santino Saskia
Savannah Sebastian Seren Shakira Shamima Shaq Shayla Shona Sian Simran Sinead Sonny Sophia
Stella Stevie Suzanne Sylvie Szymon Tahir Taliyah Tamara Tanisha Tara Tayo Teagan Tegan
Terrell Tianna Timi Tobi Tori Travis Tyrese Umar Usman Uzma Valentina Vinnie Violet Vivienne
Wiktoria Wojciech Xander Xavier Yara Zack Zaid Zak Zaria Zayne Zeynep Zion Zuzanna
""")
SURNAMES += _words("""
Akers Atkinson Berry Bibi Blackburn Bowen Briggs Carr Chambers Choudhury Connolly Crawford
Cunningham Daniels Dawson Doherty Donnelly Duffy Dunn Elliott Farrell Fitzgerald Fleming
Gill Hodgson Holroyd Hutchinson Johnston Kennedy Lloyd Lynch Macdonald Miah Okonkwo O'Connor
Parry Pearce Powell Richards Robertson Saunders Sullivan Thomson Wilkinson Yates
""")
